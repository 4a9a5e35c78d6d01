;; A memory of zero pages, as AssemblyScript declares: the program's first
;; WASI call comes before it has any memory, then it grows page by page.
;; Prints (one number a line): memory.size before growing, what the grows
;; return, memory.size after, whether the fresh pages read as zero, and
;; what args_sizes_get answers into a buffer at the very end of memory.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))

  (memory (export "memory") 0)

  (func $print_num (param $n i32)
    (local $pos i32) (local $negative i32)
    (local.set $negative (i32.lt_s (local.get $n) (i32.const 0)))
    (if (local.get $negative) (then (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
    ;; Digits end at 63 with a newline; the iovec is at 16, nwritten at 24
    ;; (nothing at address 0, which the adapter refuses as a null pointer).
    (i32.store8 (i32.const 63) (i32.const 10))
    (local.set $pos (i32.const 63))
    (loop $digit
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (if (local.get $negative)
      (then
        (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
        (i32.store8 (local.get $pos) (i32.const 45))))
    (i32.store (i32.const 16) (local.get $pos))
    (i32.store (i32.const 20) (i32.sub (i32.const 64) (local.get $pos)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  ;; 1 if every byte of pages [first, end) is zero, else 0.
  (func $all_zero (param $first i32) (param $end i32) (result i32)
    (local $at i32) (local $bits i64)
    (local.set $at (i32.mul (local.get $first) (i32.const 65536)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (i32.mul (local.get $end) (i32.const 65536))))
        (local.set $bits (i64.or (local.get $bits) (i64.load (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $next)))
    (i64.eqz (local.get $bits)))

  (func (export "_start")
    (local $size_before i32) (local $grown i32) (local $size_after i32) (local $zero i32)
    (drop (call $sched_yield))
    (local.set $size_before (memory.size))
    (local.set $grown (memory.grow (i32.const 1)))
    (local.set $size_after (memory.size))
    (local.set $zero (call $all_zero (i32.const 0) (i32.const 1)))
    (call $print_num (local.get $size_before))
    (call $print_num (local.get $grown))
    (call $print_num (local.get $size_after))
    (call $print_num (local.get $zero))
    (call $print_num (memory.grow (i32.const 2)))
    (call $print_num (memory.size))
    (call $print_num (call $all_zero (i32.const 1) (i32.const 3)))
    ;; A buffer at the very end of the program's memory.
    (call $print_num (call $args_sizes_get (i32.const 196600) (i32.const 196604)))
    (call $print_num (i32.load (i32.const 196600)))))
