;; Pointer arguments at address 0. To a wasm program address 0 is ordinary
;; memory (C's null pointer is only a convention of C), and native preview1
;; reads and writes it like any other: an iovec array, a buffer, a path,
;; results, subscriptions and events placed at 0 all work. Each line prints
;; the call's errno and what it left at 0.
;;
;; Expects stdin "typed\n" and /sandbox (fd 3) holding data.txt.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))

  (memory (export "memory") 1)

  ;; Layout: the data under test at 0..256, subscriptions or events moved
  ;; out of the way at 2000, results at 3000, a test iovec at 3100, a read
  ;; buffer at 3200, the printer's iovec at 4000 and digits up to 4132,
  ;; text from 5000.
  (data (i32.const 5000) "iovec array at 0: errno ")      ;; 24
  (data (i32.const 5040) "buffer at 0: errno ")           ;; 19
  (data (i32.const 5080) "nwritten at 0: errno ")         ;; 21
  (data (i32.const 5120) "fd_read into 0: errno ")        ;; 22
  (data (i32.const 5160) "args_sizes_get at 0: errno ")   ;; 27
  (data (i32.const 5200) "args_get at 0: errno ")         ;; 21
  (data (i32.const 5240) "path at 0: errno ")             ;; 17
  (data (i32.const 5280) "prestat name at 0: errno ")     ;; 25
  (data (i32.const 5320) "clock time at 0: errno ")       ;; 23
  (data (i32.const 5360) "random at 0: errno ")           ;; 19
  (data (i32.const 5400) "subscriptions at 0: errno ")    ;; 26
  (data (i32.const 5440) "events at 0: errno ")           ;; 19
  (data (i32.const 5480) "fd_readdir into 0: errno ")     ;; 25
  (data (i32.const 5520) ", value ")                      ;; 8
  (data (i32.const 5540) ", reads ")                      ;; 8
  (data (i32.const 5560) "written through an iovec at 0\n") ;; 30
  (data (i32.const 5600) "buffer at address zero\n")      ;; 23
  (data (i32.const 5640) "data.txt")                      ;; 8
  (data (i32.const 5680) ", userdata ")                   ;; 11
  (data (i32.const 5700) ", namlen ")                     ;; 9
  (data (i32.const 5720) ", nonzero ")                    ;; 10

  ;; Writes [ptr, ptr+len) to stdout, resubmitting after short writes.
  (func $print (param $ptr i32) (param $len i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 4000) (local.get $ptr))
        (i32.store (i32.const 4004) (local.get $len))
        (br_if $done (call $fd_write (i32.const 1) (i32.const 4000) (i32.const 1) (i32.const 4008)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 4008))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 4008))))
        (br $more))))

  (func $newline
    (i32.store8 (i32.const 4140) (i32.const 10))
    (call $print (i32.const 4140) (i32.const 1)))

  ;; Writes `n` in decimal.
  (func $print_u32 (param $n i32)
    (local $pos i32)
    (local.set $pos (i32.const 4132))
    (loop $digit
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $pos) (i32.sub (i32.const 4132) (local.get $pos))))

  ;; "<label><errno>"
  (func $report (param $label i32) (param $len i32) (param $errno i32)
    (call $print (local.get $label) (local.get $len))
    (call $print_u32 (local.get $errno)))

  ;; A relative monotonic clock subscription at `at` with `userdata`.
  (func $clock_subscription (param $at i32) (param $userdata i64)
    (memory.fill (local.get $at) (i32.const 0) (i32.const 48))
    (i64.store (local.get $at) (local.get $userdata))
    (i32.store8 offset=8 (local.get $at) (i32.const 0))
    (i32.store offset=16 (local.get $at) (i32.const 1))
    (i64.store offset=24 (local.get $at) (i64.const 1000)))

  (func $clear_zero_page
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 256)))

  (func (export "_start")
    (local $errno i32)

    ;; An iovec array at 0 pointing at text elsewhere.
    (call $clear_zero_page)
    (i32.store (i32.const 0) (i32.const 5560))
    (i32.store (i32.const 4) (i32.const 30))
    (local.set $errno (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 3000)))
    (call $report (i32.const 5000) (i32.const 24) (local.get $errno))
    (call $print (i32.const 5520) (i32.const 8))
    (call $print_u32 (i32.load (i32.const 3000)))
    (call $newline)

    ;; A buffer at 0.
    (call $clear_zero_page)
    (memory.copy (i32.const 0) (i32.const 5600) (i32.const 23))
    (i32.store (i32.const 3100) (i32.const 0))
    (i32.store (i32.const 3104) (i32.const 23))
    (local.set $errno (call $fd_write (i32.const 1) (i32.const 3100) (i32.const 1) (i32.const 3000)))
    (call $report (i32.const 5040) (i32.const 19) (local.get $errno))
    (call $newline)

    ;; A result at 0.
    (call $clear_zero_page)
    (i32.store (i32.const 3100) (i32.const 5560))
    (i32.store (i32.const 3104) (i32.const 30))
    (local.set $errno (call $fd_write (i32.const 1) (i32.const 3100) (i32.const 1) (i32.const 0)))
    (call $report (i32.const 5080) (i32.const 21) (local.get $errno))
    (call $print (i32.const 5520) (i32.const 8))
    (call $print_u32 (i32.load (i32.const 0)))
    (call $newline)

    ;; Reading stdin into a buffer at 0, with the iovec array at 0 too
    ;; (the iovec's own bytes are overwritten by the data).
    (call $clear_zero_page)
    (i32.store (i32.const 0) (i32.const 0))
    (i32.store (i32.const 4) (i32.const 16))
    (local.set $errno (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 3000)))
    (call $report (i32.const 5120) (i32.const 22) (local.get $errno))
    (call $print (i32.const 5540) (i32.const 8))
    (call $print (i32.const 0) (i32.load (i32.const 3000)))

    ;; argc and the buffer size at 0 and 4, then argv at 0 and the strings at 64.
    (call $clear_zero_page)
    (local.set $errno (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (call $report (i32.const 5160) (i32.const 27) (local.get $errno))
    (call $print (i32.const 5520) (i32.const 8))
    (call $print_u32 (i32.load (i32.const 0)))
    (call $print (i32.const 5520) (i32.const 8))
    (call $print_u32 (i32.load (i32.const 4)))
    (call $newline)
    (local.set $errno (call $args_get (i32.const 0) (i32.const 64)))
    (call $report (i32.const 5200) (i32.const 21) (local.get $errno))
    (call $print (i32.const 5540) (i32.const 8))
    (call $print (i32.load (i32.const 0)) (i32.sub (i32.load (i32.const 4)) (i32.const 1)))
    (call $newline)

    ;; A path at 0: open data.txt and print it.
    (call $clear_zero_page)
    (memory.copy (i32.const 0) (i32.const 5640) (i32.const 8))
    (local.set $errno
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 8)
        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 3000)))
    (call $report (i32.const 5240) (i32.const 17) (local.get $errno))
    (if (i32.eqz (local.get $errno))
      (then
        (i32.store (i32.const 3100) (i32.const 3200))
        (i32.store (i32.const 3104) (i32.const 64))
        (drop (call $fd_read (i32.load (i32.const 3000)) (i32.const 3100) (i32.const 1) (i32.const 3004)))
        (call $print (i32.const 5540) (i32.const 8))
        (call $print (i32.const 3200) (i32.load (i32.const 3004)))
        (drop (call $fd_close (i32.load (i32.const 3000))))))
    (call $newline)

    ;; The preopen's name written to 0.
    (call $clear_zero_page)
    (local.set $errno (call $fd_prestat_dir_name (i32.const 3) (i32.const 0) (i32.const 8)))
    (call $report (i32.const 5280) (i32.const 25) (local.get $errno))
    (call $print (i32.const 5540) (i32.const 8))
    (call $print (i32.const 0) (i32.const 8))
    (call $newline)

    ;; A clock reading and random bytes at 0 (only whether something came).
    (call $clear_zero_page)
    (local.set $errno (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 0)))
    (call $report (i32.const 5320) (i32.const 23) (local.get $errno))
    (call $print (i32.const 5720) (i32.const 10))
    (call $print_u32 (i64.ne (i64.load (i32.const 0)) (i64.const 0)))
    (call $newline)
    (call $clear_zero_page)
    (local.set $errno (call $random_get (i32.const 0) (i32.const 64)))
    (call $report (i32.const 5360) (i32.const 19) (local.get $errno))
    (call $print (i32.const 5720) (i32.const 10))
    (call $print_u32
      (i32.or (i64.ne (i64.load (i32.const 0)) (i64.const 0))
        (i32.or (i64.ne (i64.load (i32.const 8)) (i64.const 0))
          (i64.ne (i64.load (i32.const 16)) (i64.const 0)))))
    (call $newline)

    ;; Two clock subscriptions at 0, events elsewhere.
    (call $clear_zero_page)
    (call $clock_subscription (i32.const 0) (i64.const 0x51))
    (call $clock_subscription (i32.const 48) (i64.const 0x51))
    (local.set $errno (call $poll_oneoff (i32.const 0) (i32.const 2000) (i32.const 2) (i32.const 3000)))
    (call $report (i32.const 5400) (i32.const 26) (local.get $errno))
    (call $print (i32.const 5680) (i32.const 11))
    (call $print_u32 (i32.wrap_i64 (i64.load (i32.const 2000))))
    (call $newline)

    ;; One subscription elsewhere, its event at 0.
    (call $clear_zero_page)
    (call $clock_subscription (i32.const 2000) (i64.const 0x61))
    (call $clock_subscription (i32.const 2048) (i64.const 0x61))
    (local.set $errno (call $poll_oneoff (i32.const 2000) (i32.const 0) (i32.const 2) (i32.const 3000)))
    (call $report (i32.const 5440) (i32.const 19) (local.get $errno))
    (call $print (i32.const 5680) (i32.const 11))
    (call $print_u32 (i32.wrap_i64 (i64.load (i32.const 0))))
    (call $newline)

    ;; The preopen's first entry (".") into a buffer at 0.
    (call $clear_zero_page)
    (local.set $errno (call $fd_readdir (i32.const 3) (i32.const 0) (i32.const 25) (i64.const 0) (i32.const 3000)))
    (call $report (i32.const 5480) (i32.const 25) (local.get $errno))
    (call $print (i32.const 5700) (i32.const 9))
    (call $print_u32 (i32.load (i32.const 16)))
    (call $print (i32.const 5540) (i32.const 8))
    (call $print (i32.const 24) (i32.const 1))
    (call $newline))
)
