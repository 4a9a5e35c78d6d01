;; A preview1 "hello world" written by hand, so the example needs no wasm
;; toolchain: it prints its arguments after a greeting, then exits with 0.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get"
    (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from a WASI preview1 module, running as a WASI 0.2 component!\n")

  ;; Writes `len` bytes at `ptr` to stdout with a single iovec at address 256.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 256) (local.get $ptr))
    (i32.store (i32.const 260) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 256) (i32.const 1) (i32.const 264))))

  (func (export "_start")
    (local $argc i32) (local $i i32) (local $arg i32) (local $end i32)
    (call $print (i32.const 16) (i32.const 68))
    ;; argc at 1024, argv buffer size at 1028, argv at 2048, strings at 4096.
    (drop (call $args_sizes_get (i32.const 1024) (i32.const 1028)))
    (local.set $argc (i32.load (i32.const 1024)))
    (drop (call $args_get (i32.const 2048) (i32.const 4096)))
    ;; Skip argv[0]; print each other argument on its own line.
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
        (local.set $arg (i32.load (i32.add (i32.const 2048) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (local.get $arg))
        (block $found
          (loop $scan
            (br_if $found (i32.eqz (i32.load8_u (local.get $end))))
            (local.set $end (i32.add (local.get $end) (i32.const 1)))
            (br $scan)))
        ;; Turn the NUL into a newline and print the argument with it.
        (i32.store8 (local.get $end) (i32.const 10))
        (call $print (local.get $arg) (i32.add (i32.sub (local.get $end) (local.get $arg)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $proc_exit (i32.const 0)))
)
