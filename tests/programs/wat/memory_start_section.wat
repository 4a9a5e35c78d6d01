;; A start section that grows memory, reads memory.size and calls WASI, as
;; hand-written and some generated modules have. Natively it runs at
;; instantiation, before `_start`; its output must come first and its
;; effects (memory grown, a global set) must be visible to `_start`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))

  (memory (export "memory") 1)
  (global $grown_from (mut i32) (i32.const -2))
  (global $argc_seen (mut i32) (i32.const -2))

  (data (i32.const 100) "start\n")
  (data (i32.const 110) "_start\n")

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

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
    (call $print (local.get $pos) (i32.sub (i32.const 64) (local.get $pos))))

  (func $init
    (call $print (i32.const 100) (i32.const 6))
    (global.set $grown_from (memory.grow (i32.const 1)))
    (call $print_num (memory.size))
    ;; A pointer into the page just grown.
    (drop (call $args_sizes_get (i32.const 65600) (i32.const 65604)))
    (global.set $argc_seen (i32.load (i32.const 65600))))
  (start $init)

  (func (export "_start")
    (call $print (i32.const 110) (i32.const 7))
    (call $print_num (global.get $grown_from))
    (call $print_num (global.get $argc_seen))
    (call $print_num (memory.size))
    (call $print_num (memory.grow (i32.const 1)))))
