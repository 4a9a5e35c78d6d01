;; A memory whose declared maximum is a few pages above its initial size,
;; `(memory 2 5)`. The program must get every page up to its maximum (the
;; adapter's region takes none of them), each reading as zero, then -1.
;; Prints (one number a line): memory.size, what each grow returns and
;; whether that page is zero, the grows past the maximum, memory.size, and
;; args_sizes_get into the last bytes of memory.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))

  (memory (export "memory") 2 5)

  (func $print_num (param $n i32)
    (local $pos i32) (local $negative i32)
    (local.set $negative (i32.lt_s (local.get $n) (i32.const 0)))
    (if (local.get $negative) (then (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
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

  ;; 1 if every byte of page `page` is zero, else 0.
  (func $page_is_zero (param $page i32) (result i32)
    (local $at i32) (local $end i32) (local $bits i64)
    (local.set $at (i32.mul (local.get $page) (i32.const 65536)))
    (local.set $end (i32.add (local.get $at) (i32.const 65536)))
    (loop $next
      (local.set $bits (i64.or (local.get $bits) (i64.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (br_if $next (i32.lt_u (local.get $at) (local.get $end))))
    (i64.eqz (local.get $bits)))

  (func (export "_start")
    (local $old i32)
    (call $print_num (memory.size))
    ;; One page at a time up to the maximum, each fresh and writable to its
    ;; last byte, then -1.
    (loop $grow
      (local.set $old (memory.grow (i32.const 1)))
      (call $print_num (local.get $old))
      (if (i32.ge_s (local.get $old) (i32.const 0))
        (then
          (call $print_num (call $page_is_zero (local.get $old)))
          (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (i32.const 7))
          (br $grow))))
    (call $print_num (memory.grow (i32.const 0)))
    (call $print_num (memory.grow (i32.const 65536)))
    (call $print_num (memory.size))
    (call $print_num (call $args_sizes_get (i32.const 327672) (i32.const 327676)))
    (call $print_num (i32.load (i32.const 327672)))))
