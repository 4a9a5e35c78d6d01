;; Every preview1 function that takes an fd and that the adapter's stdio
;; build serves, called on two preopened directories (fds 3 and 4) and on an
;; fd that is not open (5). A program importing only such functions gets
;; that build, which never looks for preopens: each line must read exactly
;; as native's, which does know fds 3 and 4 are directories.
;;
;; Expects two preopened directories.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pread" (func $fd_pread (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_advise" (func $fd_advise (param i32 i64 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate" (func $fd_allocate (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_datasync" (func $fd_datasync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_sync" (func $fd_sync (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $fd_filestat_set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  ;; Layout: a 4-byte iovec over "data" at 100, results at 200,
  ;; subscriptions at 304, events at 512, the printer's iovec at 4000 and
  ;; its line at 4100, names from 5000 (each 20 bytes, padded with spaces).
  (data (i32.const 100) "\70\00\00\00\04\00\00\00")
  (data (i32.const 112) "data")
  (data (i32.const 5000) "fd_write            ")
  (data (i32.const 5020) "fd_read             ")
  (data (i32.const 5040) "fd_pread            ")
  (data (i32.const 5060) "fd_pwrite           ")
  (data (i32.const 5080) "fd_seek             ")
  (data (i32.const 5100) "fd_tell             ")
  (data (i32.const 5120) "fd_fdstat_set_flags ")
  (data (i32.const 5140) "fd_advise           ")
  (data (i32.const 5160) "fd_allocate         ")
  (data (i32.const 5180) "fd_datasync         ")
  (data (i32.const 5200) "fd_sync             ")
  (data (i32.const 5220) "fd_filestat_set_size")
  (data (i32.const 5240) "poll_oneoff read    ")
  (data (i32.const 5260) "poll_oneoff write   ")

  ;; Prints "NAME fd FD: errno NN\n" for the name at `name`.
  (func $report (param $name i32) (param $fd i32) (param $errno i32)
    (memory.copy (i32.const 4100) (local.get $name) (i32.const 20))
    (i32.store (i32.const 4120) (i32.const 0x20206466)) ;; "fd  "
    (i32.store8 (i32.const 4123) (i32.add (i32.const 48) (local.get $fd)))
    (i64.store (i32.const 4124) (i64.const 0x206f6e727265203a)) ;; ": errno "
    (i32.store8 (i32.const 4132) (i32.add (i32.const 48) (i32.div_u (local.get $errno) (i32.const 10))))
    (i32.store8 (i32.const 4133) (i32.add (i32.const 48) (i32.rem_u (local.get $errno) (i32.const 10))))
    (i32.store8 (i32.const 4134) (i32.const 10))
    (i32.store (i32.const 4000) (i32.const 4100))
    (i32.store (i32.const 4004) (i32.const 35))
    (drop (call $fd_write (i32.const 1) (i32.const 4000) (i32.const 1) (i32.const 4008))))

  ;; poll_oneoff with one subscription of `tag` (1 read, 2 write) on `fd`.
  (func $poll (param $fd i32) (param $tag i32) (result i32)
    (memory.fill (i32.const 304) (i32.const 0) (i32.const 48))
    (i64.store (i32.const 304) (i64.const 7))
    (i32.store8 (i32.const 312) (local.get $tag))
    (i32.store (i32.const 320) (local.get $fd))
    (call $poll_oneoff (i32.const 304) (i32.const 512) (i32.const 1) (i32.const 200)))

  (func (export "_start")
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (loop $each
      (call $report (i32.const 5000) (local.get $fd)
        (call $fd_write (local.get $fd) (i32.const 100) (i32.const 1) (i32.const 200)))
      (call $report (i32.const 5020) (local.get $fd)
        (call $fd_read (local.get $fd) (i32.const 100) (i32.const 1) (i32.const 200)))
      (call $report (i32.const 5040) (local.get $fd)
        (call $fd_pread (local.get $fd) (i32.const 100) (i32.const 1) (i64.const 0) (i32.const 200)))
      (call $report (i32.const 5060) (local.get $fd)
        (call $fd_pwrite (local.get $fd) (i32.const 100) (i32.const 1) (i64.const 0) (i32.const 200)))
      (call $report (i32.const 5080) (local.get $fd)
        (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 200)))
      (call $report (i32.const 5100) (local.get $fd)
        (call $fd_tell (local.get $fd) (i32.const 200)))
      (call $report (i32.const 5120) (local.get $fd)
        (call $fd_fdstat_set_flags (local.get $fd) (i32.const 1)))
      (call $report (i32.const 5140) (local.get $fd)
        (call $fd_advise (local.get $fd) (i64.const 0) (i64.const 10) (i32.const 0)))
      (call $report (i32.const 5160) (local.get $fd)
        (call $fd_allocate (local.get $fd) (i64.const 0) (i64.const 10)))
      (call $report (i32.const 5180) (local.get $fd)
        (call $fd_datasync (local.get $fd)))
      (call $report (i32.const 5200) (local.get $fd)
        (call $fd_sync (local.get $fd)))
      (call $report (i32.const 5220) (local.get $fd)
        (call $fd_filestat_set_size (local.get $fd) (i64.const 0)))
      (call $report (i32.const 5240) (local.get $fd)
        (call $poll (local.get $fd) (i32.const 1)))
      (call $report (i32.const 5260) (local.get $fd)
        (call $poll (local.get $fd) (i32.const 2)))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br_if $each (i32.le_u (local.get $fd) (i32.const 5)))))
)
