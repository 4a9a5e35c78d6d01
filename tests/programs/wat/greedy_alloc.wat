;; A preview1 command with a greedy allocator, like older wasi-libc dlmalloc:
;; its first allocation claims every byte from the heap base up to the current
;; `memory.size`, and it grows memory with `memory.grow` when that runs out.
;; It fills everything it owns with an address-derived pattern and verifies it
;; after calls into the host. Any host or adapter state kept inside what the
;; program considers its heap shows up as corruption (exit code 1).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  (memory (export "memory") 17)

  ;; Scratch layout below the heap: iovec at 256, nwritten at 264,
  ;; two result words at 272/276, decimal digits at 512..532, strings at 1024.
  (global $heap_base i32 (i32.const 65536))
  (global $heap_ptr (mut i32) (i32.const 0))
  (global $heap_end (mut i32) (i32.const 0))

  (data (i32.const 1024) "argc ")                 ;; 1024, 5
  (data (i32.const 1040) " argv_buf_size ")       ;; 1040, 15
  (data (i32.const 1056) "claimed up to byte ")   ;; 1056, 19
  (data (i32.const 1088) "filled and verified ")  ;; 1088, 20
  (data (i32.const 1120) "grew heap to byte ")    ;; 1120, 18
  (data (i32.const 1152) "checksum ")             ;; 1152, 9
  (data (i32.const 1168) "CORRUPT at byte ")      ;; 1168, 16
  (data (i32.const 1200) "out of memory\n")       ;; 1200, 14
  (data (i32.const 1216) "written from the heap\n") ;; 1216, 22
  (data (i32.const 1248) "environ count ")        ;; 1248, 14
  (data (i32.const 1280) "ok\n")                  ;; 1280, 3

  ;; Writes [ptr, ptr+len) to stdout, resubmitting after short writes.
  (func $write (param $ptr i32) (param $len i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 256) (local.get $ptr))
        (i32.store (i32.const 260) (local.get $len))
        (if (call $fd_write (i32.const 1) (i32.const 256) (i32.const 1) (i32.const 264))
          (then (call $proc_exit (i32.const 2)) (unreachable)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 264))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 264))))
        (br $more))))

  (func $newline
    (i32.store8 (i32.const 532) (i32.const 10))
    (call $write (i32.const 532) (i32.const 1)))

  ;; Writes `n` in decimal.
  (func $write_u32 (param $n i32)
    (local $pos i32)
    (local.set $pos (i32.const 532))
    (loop $digit
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $write (local.get $pos) (i32.sub (i32.const 532) (local.get $pos))))

  (func $pattern (param $addr i32) (result i32)
    (i32.xor (i32.mul (local.get $addr) (i32.const 0x9e3779b1)) (i32.const 0x5a5a5a5a)))

  (func $fill (param $from i32) (param $to i32)
    (loop $word
      (if (i32.lt_u (local.get $from) (local.get $to))
        (then
          (i32.store (local.get $from) (call $pattern (local.get $from)))
          (local.set $from (i32.add (local.get $from) (i32.const 4)))
          (br $word)))))

  ;; Exits with code 1 at the first word that lost its pattern.
  (func $verify (param $from i32) (param $to i32)
    (loop $word
      (if (i32.lt_u (local.get $from) (local.get $to))
        (then
          (if (i32.ne (i32.load (local.get $from)) (call $pattern (local.get $from)))
            (then
              (call $write (i32.const 1168) (i32.const 16))
              (call $write_u32 (local.get $from))
              (call $newline)
              (call $proc_exit (i32.const 1))
              (unreachable)))
          (local.set $from (i32.add (local.get $from) (i32.const 4)))
          (br $word)))))

  (func $checksum (param $from i32) (param $to i32) (result i32)
    (local $sum i32)
    (loop $word
      (if (i32.lt_u (local.get $from) (local.get $to))
        (then
          (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $from))))
          (local.set $from (i32.add (local.get $from) (i32.const 4)))
          (br $word))))
    (local.get $sum))

  (func $alloc (param $size i32) (result i32)
    (local $ptr i32)
    (local $pages i32)
    (local $old i32)
    (if (i32.eqz (global.get $heap_end))
      (then
        (global.set $heap_ptr (global.get $heap_base))
        (global.set $heap_end (i32.mul (memory.size) (i32.const 65536)))))
    (if (i32.gt_u (i32.add (global.get $heap_ptr) (local.get $size)) (global.get $heap_end))
      (then
        (local.set $pages
          (i32.div_u
            (i32.add
              (i32.sub (i32.add (global.get $heap_ptr) (local.get $size)) (global.get $heap_end))
              (i32.const 65535))
            (i32.const 65536)))
        (local.set $old (memory.grow (local.get $pages)))
        (if (i32.eq (local.get $old) (i32.const -1))
          (then
            (call $write (i32.const 1200) (i32.const 14))
            (call $proc_exit (i32.const 3))
            (unreachable)))
        (global.set $heap_end
          (i32.mul (i32.add (local.get $old) (local.get $pages)) (i32.const 65536)))))
    (local.set $ptr (global.get $heap_ptr))
    (global.set $heap_ptr (i32.add (global.get $heap_ptr) (local.get $size)))
    (local.get $ptr))

  (func $report_args
    (drop (call $args_sizes_get (i32.const 272) (i32.const 276)))
    (call $write (i32.const 1024) (i32.const 5))
    (call $write_u32 (i32.load (i32.const 272)))
    (call $write (i32.const 1040) (i32.const 15))
    (call $write_u32 (i32.load (i32.const 276)))
    (call $newline))

  (func $start (export "_start")
    (local $first_end i32)
    (local $block i32)
    (call $report_args)

    ;; The first allocation claims everything up to memory.size.
    (drop (call $alloc (i32.const 1048576)))
    (call $write (i32.const 1056) (i32.const 19))
    (call $write_u32 (global.get $heap_end))
    (call $newline)
    (call $fill (global.get $heap_base) (global.get $heap_end))
    (call $report_args)
    (drop (call $environ_sizes_get (i32.const 272) (i32.const 276)))
    (call $write (i32.const 1248) (i32.const 14))
    (call $write_u32 (i32.load (i32.const 272)))
    (call $newline)
    (call $verify (global.get $heap_base) (global.get $heap_end))
    (call $write (i32.const 1088) (i32.const 20))
    (call $write_u32 (global.get $heap_end))
    (call $newline)

    ;; More than is left: the allocator grows memory and owns the new pages too.
    (local.set $first_end (global.get $heap_end))
    (local.set $block (call $alloc (i32.const 8388608)))
    (call $write (i32.const 1120) (i32.const 18))
    (call $write_u32 (global.get $heap_end))
    (call $newline)
    (call $fill (local.get $first_end) (global.get $heap_end))
    (call $report_args)
    (call $verify (global.get $heap_base) (global.get $heap_end))
    (call $write (i32.const 1088) (i32.const 20))
    (call $write_u32 (global.get $heap_end))
    (call $newline)
    (call $write (i32.const 1152) (i32.const 9))
    (call $write_u32 (call $checksum (global.get $heap_base) (global.get $heap_end)))
    (call $newline)

    ;; The host must read program data from anywhere in the heap.
    (memory.copy (local.get $block) (i32.const 1216) (i32.const 22))
    (call $write (local.get $block) (i32.const 22))
    (call $write (i32.const 1280) (i32.const 3)))
)
