;; A WASI snapshot 0 program (imports `wasi_unstable`, as toolchains of 2019
;; emitted), exercising each function whose ABI differs from preview1:
;; fd_seek's whence values, the 56-byte filestat of fd_filestat_get and
;; path_filestat_get (also with the buffer at the very end of memory),
;; poll_oneoff's 56-byte subscriptions (whose array must be left as it was),
;; and fd_readdir, whose dirent has preview1's layout in both.
;; It opens its file with preview1's path_open, so both namespaces share one
;; descriptor table. Expects the corpus tree at the first preopen (fd 3).
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))

  (memory (export "memory") 2)

  ;; Scratch: iovec at 256, counts at 264, result at 272, event count at 280, digits at 512..540,
  ;; a filestat at 2048 (canary after it at 2104), subscriptions at 4096 with
  ;; a copy at 8192, events at 12288, dirents at 16384 (4096 bytes, the
  ;; count used at 284); NUL-terminated strings from 1024 on.
  (data (i32.const 1024) "digits.txt\00")
  (data (i32.const 1040) "hello.txt\00")
  (data (i32.const 1056) "dir\00")
  (data (i32.const 1088) "seek SET 3: errno \00")
  (data (i32.const 1120) " pos \00")
  (data (i32.const 1136) " byte \00")
  (data (i32.const 1152) "seek END -2: errno \00")
  (data (i32.const 1184) "seek CUR -1: errno \00")
  (data (i32.const 1216) "fd_filestat_get: errno \00")
  (data (i32.const 1248) " filetype \00")
  (data (i32.const 1264) " nlink \00")
  (data (i32.const 1280) " size \00")
  (data (i32.const 1296) " canary \00")
  (data (i32.const 1312) "path_filestat_get hello.txt: errno \00")
  (data (i32.const 1360) "path_filestat_get dir: errno \00")
  (data (i32.const 1392) "at the end of memory: errno \00")
  (data (i32.const 1424) "poll one clock: errno \00")
  (data (i32.const 1456) " events \00")
  (data (i32.const 1472) " userdata \00")
  (data (i32.const 1488) " type \00")
  (data (i32.const 1504) " error \00")
  (data (i32.const 1520) "poll clock, stdout, clock: errno \00")
  (data (i32.const 1568) "subscriptions unchanged \00")
  (data (i32.const 1600) "done\00")
  (data (i32.const 1616) "fd_readdir dir: errno \00")
  (data (i32.const 1648) " entries \00")
  (data (i32.const 1664) " directories \00")
  (data (i32.const 1680) " files \00")
  (data (i32.const 1696) " name bytes \00")

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 256) (local.get $ptr))
    (i32.store (i32.const 260) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 256) (i32.const 1) (i32.const 264))
      (then (call $proc_exit (i32.const 2)))))

  ;; Writes the NUL-terminated string at `ptr`.
  (func $str (param $ptr i32)
    (local $end i32)
    (local.set $end (local.get $ptr))
    (loop $scan
      (if (i32.load8_u (local.get $end))
        (then (local.set $end (i32.add (local.get $end) (i32.const 1))) (br $scan))))
    (call $write (local.get $ptr) (i32.sub (local.get $end) (local.get $ptr))))

  ;; Writes `n` in decimal.
  (func $num (param $n i64)
    (local $at i32)
    (local.set $at (i32.const 540))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i64.store8 (local.get $at) (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $n) (i64.const 0))))
    (call $write (local.get $at) (i32.sub (i32.const 540) (local.get $at))))

  (func $newline
    (i32.store8 (i32.const 540) (i32.const 10))
    (call $write (i32.const 540) (i32.const 1)))

  ;; label, errno, then " pos " and the position (from 272), " byte " and the next byte read.
  (func $seek_report (param $label i32) (param $errno i32) (param $fd i32)
    (call $str (local.get $label))
    (call $num (i64.extend_i32_u (local.get $errno)))
    (call $str (i32.const 1120))
    (call $num (i64.load (i32.const 272)))
    (i32.store (i32.const 256) (i32.const 300))
    (i32.store (i32.const 260) (i32.const 1))
    (drop (call $fd_read (local.get $fd) (i32.const 256) (i32.const 1) (i32.const 264)))
    (call $str (i32.const 1136))
    (call $write (i32.const 300) (i32.const 1))
    (call $newline))

  ;; label, errno, and the snapshot-0 filestat at `buf`: filetype, nlink, and size if `size`.
  (func $stat_report (param $label i32) (param $errno i32) (param $buf i32) (param $size i32)
    (call $str (local.get $label))
    (call $num (i64.extend_i32_u (local.get $errno)))
    (call $str (i32.const 1248))
    (call $num (i64.load8_u offset=16 (local.get $buf)))
    (if (local.get $size)
      (then
        (call $str (i32.const 1264))
        (call $num (i64.load32_u offset=20 (local.get $buf)))
        (call $str (i32.const 1280))
        (call $num (i64.load offset=24 (local.get $buf))))))

  ;; Each event at 12288: userdata, type, error.
  (func $events_report (param $count i32)
    (local $at i32)
    (call $str (i32.const 1456))
    (call $num (i64.extend_i32_u (local.get $count)))
    (local.set $at (i32.const 12288))
    (block $done
      (loop $each
        (br_if $done (i32.eqz (local.get $count)))
        (call $str (i32.const 1472))
        (call $num (i64.load (local.get $at)))
        (call $str (i32.const 1488))
        (call $num (i64.load8_u offset=10 (local.get $at)))
        (call $str (i32.const 1504))
        (call $num (i64.load16_u offset=8 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $each)))
    (call $newline))

  ;; The dirents fd_readdir left at 16384 (`used` bytes, each a 24-byte
  ;; header with the name's length at 16 and the type at 20, then the name):
  ;; how many, how many are directories and regular files, and the names'
  ;; total length. Counts, not names, so the host's listing order is free.
  (func $readdir_report (param $errno i32) (param $used i32)
    (local $at i32) (local $end i32) (local $namlen i32) (local $type i32)
    (local $entries i64) (local $dirs i64) (local $files i64) (local $names i64)
    (local.set $at (i32.const 16384))
    (local.set $end (i32.add (i32.const 16384) (local.get $used)))
    (block $done
      (loop $each
        (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 24)) (local.get $end)))
        (local.set $namlen (i32.load offset=16 (local.get $at)))
        (local.set $type (i32.load8_u offset=20 (local.get $at)))
        (local.set $entries (i64.add (local.get $entries) (i64.const 1)))
        (if (i32.eq (local.get $type) (i32.const 3))
          (then (local.set $dirs (i64.add (local.get $dirs) (i64.const 1)))))
        (if (i32.eq (local.get $type) (i32.const 4))
          (then (local.set $files (i64.add (local.get $files) (i64.const 1)))))
        (local.set $names (i64.add (local.get $names) (i64.extend_i32_u (local.get $namlen))))
        (local.set $at (i32.add (local.get $at) (i32.add (i32.const 24) (local.get $namlen))))
        (br $each)))
    (call $str (i32.const 1616))
    (call $num (i64.extend_i32_u (local.get $errno)))
    (call $str (i32.const 1648))
    (call $num (local.get $entries))
    (call $str (i32.const 1664))
    (call $num (local.get $dirs))
    (call $str (i32.const 1680))
    (call $num (local.get $files))
    (call $str (i32.const 1696))
    (call $num (local.get $names))
    (call $newline))

  ;; A snapshot-0 clock subscription at `at`: relative timeout in ns.
  (func $clock (param $at i32) (param $userdata i64) (param $identifier i64) (param $timeout i64)
    (i64.store (local.get $at) (local.get $userdata))
    (i32.store8 offset=8 (local.get $at) (i32.const 0))
    (i64.store offset=16 (local.get $at) (local.get $identifier))
    (i32.store offset=24 (local.get $at) (i32.const 1))
    (i64.store offset=32 (local.get $at) (local.get $timeout))
    (i64.store offset=40 (local.get $at) (i64.const 0))
    (i32.store16 offset=48 (local.get $at) (i32.const 0)))

  (func $same_bytes (param $a i32) (param $b i32) (param $len i32) (result i32)
    (block $differ
      (loop $each
        (if (i32.eqz (local.get $len)) (then (return (i32.const 1))))
        (br_if $differ (i64.ne (i64.load8_u (local.get $a)) (i64.load8_u (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $each)))
    (i32.const 0))

  (func (export "_start")
    (local $fd i32)
    (local $end i32)
    ;; digits.txt, opened through preview1, used through snapshot 0.
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 10)
          (i32.const 0) (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0) (i32.const 272))
      (then (call $proc_exit (i32.const 3))))
    (local.set $fd (i32.load (i32.const 272)))
    ;; snapshot 0: CUR = 0, END = 1, SET = 2.
    (call $seek_report (i32.const 1088)
      (call $fd_seek (local.get $fd) (i64.const 3) (i32.const 2) (i32.const 272)) (local.get $fd))
    (call $seek_report (i32.const 1152)
      (call $fd_seek (local.get $fd) (i64.const -2) (i32.const 1) (i32.const 272)) (local.get $fd))
    (call $seek_report (i32.const 1184)
      (call $fd_seek (local.get $fd) (i64.const -1) (i32.const 0) (i32.const 272)) (local.get $fd))

    ;; The record is 56 bytes: the 8 after it must stay as they were.
    (i64.store (i32.const 2104) (i64.const 0x0123456789abcdef))
    (call $stat_report (i32.const 1216)
      (call $fd_filestat_get (local.get $fd) (i32.const 2048)) (i32.const 2048) (i32.const 1))
    (call $str (i32.const 1296))
    (call $num (i64.extend_i32_u (i64.eq (i64.load (i32.const 2104)) (i64.const 0x0123456789abcdef))))
    (call $newline)
    (call $stat_report (i32.const 1312)
      (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 1040) (i32.const 9) (i32.const 2048))
      (i32.const 2048) (i32.const 1))
    (call $newline)
    (call $stat_report (i32.const 1360)
      (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 1056) (i32.const 3) (i32.const 2048))
      (i32.const 2048) (i32.const 0))
    (call $newline)
    ;; A buffer ending exactly where memory ends, with a canary before it.
    (local.set $end (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 56)))
    (i64.store (i32.sub (local.get $end) (i32.const 8)) (i64.const 0x0123456789abcdef))
    (call $stat_report (i32.const 1392)
      (call $fd_filestat_get (local.get $fd) (local.get $end)) (local.get $end) (i32.const 1))
    (call $str (i32.const 1296))
    (call $num (i64.extend_i32_u
      (i64.eq (i64.load (i32.sub (local.get $end) (i32.const 8))) (i64.const 0x0123456789abcdef))))
    (call $newline)
    (drop (call $fd_close (local.get $fd)))

    ;; The directory `dir` (`nested.txt`, `sub` and a symlink), opened through preview1
    ;; with DIRECTORY and the right FD_READDIR, listed through snapshot 0
    ;; from cookie 0.
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 1056) (i32.const 3)
          (i32.const 2) (i64.const 0x4000) (i64.const 0) (i32.const 0) (i32.const 272))
      (then (call $proc_exit (i32.const 4))))
    (local.set $fd (i32.load (i32.const 272)))
    (call $readdir_report
      (call $fd_readdir (local.get $fd) (i32.const 16384) (i32.const 4096) (i64.const 0) (i32.const 284))
      (i32.load (i32.const 284)))
    (drop (call $fd_close (local.get $fd)))

    ;; One clock of 1 ms.
    (call $clock (i32.const 4096) (i64.const 0x42) (i64.const 0x1111) (i64.const 1000000))
    (call $str (i32.const 1424))
    (call $num (i64.extend_i32_u
      (call $poll_oneoff (i32.const 4096) (i32.const 12288) (i32.const 1) (i32.const 280))))
    (call $events_report (i32.load (i32.const 280)))

    ;; A 60 s clock, stdout writable, a 120 s clock: only stdout is ready.
    (call $clock (i32.const 4096) (i64.const 7) (i64.const 0x7777) (i64.const 60000000000))
    (i64.store (i32.const 4152) (i64.const 8))
    (i32.store8 (i32.const 4160) (i32.const 2))
    (i32.store (i32.const 4168) (i32.const 1))
    (call $clock (i32.const 4208) (i64.const 9) (i64.const 0x9999) (i64.const 120000000000))
    (memory.copy (i32.const 8192) (i32.const 4096) (i32.const 168))
    (call $str (i32.const 1520))
    (call $num (i64.extend_i32_u
      (call $poll_oneoff (i32.const 4096) (i32.const 12288) (i32.const 3) (i32.const 280))))
    (call $events_report (i32.load (i32.const 280)))
    (call $str (i32.const 1568))
    (call $num (i64.extend_i32_u (call $same_bytes (i32.const 4096) (i32.const 8192) (i32.const 168))))
    (call $newline)
    (call $str (i32.const 1600))
    (call $newline)))
