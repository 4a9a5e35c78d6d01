;; A program that writes just past the end of its memory, then calls WASI.
;; Natively the write traps at once (out of bounds). Upgraded, it lands on
;; the adapter's region, and the next call into the adapter traps in
;; `program_wrote_past_its_memory` instead of running on corrupted state.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 100) "before\nafter\n")

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  (func (export "_start")
    (call $print (i32.const 100) (i32.const 7))
    (i64.store (i32.mul (memory.size) (i32.const 65536)) (i64.const -1))
    (call $print (i32.const 107) (i32.const 6))))
