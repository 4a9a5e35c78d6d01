;; A memory whose declared maximum is its initial size, `(memory 1 1)`, as
;; some C builds declare. The program must see exactly its own limits:
;; memory.grow returns -1 past the maximum, as natively, even though the
;; adapter's region needs pages of its own.
;; Prints (one number a line): memory.size, what each grow returns,
;; memory.size again, and args_sizes_get into the last bytes of memory.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))

  (memory (export "memory") 1 1)

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

  (func (export "_start")
    (call $print_num (memory.size))
    (call $print_num (memory.grow (i32.const 1)))
    (call $print_num (memory.grow (i32.const 0)))
    (call $print_num (memory.grow (i32.const 65536)))
    (call $print_num (memory.grow (i32.const -1)))
    (call $print_num (memory.size))
    (call $print_num (call $args_sizes_get (i32.const 65528) (i32.const 65532)))
    (call $print_num (i32.load (i32.const 65528)))))
