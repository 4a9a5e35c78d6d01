;; Counts and lengths that come from the program and must never size
;; anything unchecked: iovec counts near 2^32 (whose byte size wraps in 32
;; bits), iovec lengths whose sum overflows 32 bits, and poll_oneoff
;; subscription counts of 2^30, 0x5555556 (48 times that wraps to 32) and
;; 2^32 - 1. Native preview1 copies at most 128 MiB of arrays per call and
;; answers ENOMEM past that; of the iovecs it uses only the first non-empty
;; one. Expects stdin "abcdefgh".
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  ;; Layout: a clock subscription at 0, events at 2000, results at 3000,
  ;; iovecs at 3100, a read buffer at 3200, the printer's iovec at 4000 and
  ;; digits up to 4132, text from 5000, and one iovec in the last 8 bytes
  ;; of memory (65528).
  (data (i32.const 5000) "whole count\n")                         ;; 12
  (data (i32.const 5020) "short\n")                               ;; 6
  (data (i32.const 5100) "count 2^32-1: errno ")                  ;; 20
  (data (i32.const 5140) "count 2^29+1 (bytes wrap to 8): errno ") ;; 38
  (data (i32.const 5180) "lengths overflowing 32 bits: errno ")   ;; 35
  (data (i32.const 5220) "read with lengths overflowing: errno ") ;; 37
  (data (i32.const 5260) "poll_oneoff: errno ")                   ;; 19
  (data (i32.const 5300) ", n ")                                  ;; 4
  (data (i32.const 5320) ", reads ")                              ;; 8

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

  ;; "<label><errno>, n <value at 3000>\n"
  (func $report (param $label i32) (param $len i32) (param $errno i32)
    (call $print (local.get $label) (local.get $len))
    (call $print_u32 (local.get $errno))
    (call $print (i32.const 5300) (i32.const 4))
    (call $print_u32 (i32.load (i32.const 3000)))
    (call $newline))

  (func $iovecs
    ;; The only readable entry of the array is the first: it sits in the
    ;; last 8 bytes of memory.
    (i32.store (i32.const 65528) (i32.const 5000))
    (i32.store (i32.const 65532) (i32.const 12))
    (i32.store (i32.const 3000) (i32.const 0))
    (call $report (i32.const 5100) (i32.const 20)
      (call $fd_write (i32.const 1) (i32.const 65528) (i32.const 0xffffffff) (i32.const 3000)))
    (i32.store (i32.const 3000) (i32.const 0))
    (call $report (i32.const 5140) (i32.const 38)
      (call $fd_write (i32.const 1) (i32.const 65528) (i32.const 0x20000001) (i32.const 3000)))

    ;; Two iovecs whose lengths add up past 2^32; the second is not in memory.
    (i32.store (i32.const 3100) (i32.const 5020))
    (i32.store (i32.const 3104) (i32.const 6))
    (i32.store (i32.const 3108) (i32.const 5020))
    (i32.store (i32.const 3112) (i32.const 0xfffffffe))
    (i32.store (i32.const 3000) (i32.const 0))
    (call $report (i32.const 5180) (i32.const 35)
      (call $fd_write (i32.const 1) (i32.const 3100) (i32.const 2) (i32.const 3000)))

    ;; The same for a read from stdin.
    (i32.store (i32.const 3100) (i32.const 3200))
    (i32.store (i32.const 3104) (i32.const 4))
    (i32.store (i32.const 3108) (i32.const 3300))
    (i32.store (i32.const 3112) (i32.const 0xffffffff))
    (i32.store (i32.const 3000) (i32.const 0))
    (call $report (i32.const 5220) (i32.const 37)
      (call $fd_read (i32.const 0) (i32.const 3100) (i32.const 2) (i32.const 3000)))
    (call $print (i32.const 5320) (i32.const 8))
    (call $print (i32.const 3200) (i32.load (i32.const 3000)))
    (call $newline))

  ;; poll_oneoff with `count` subscriptions, of which only the first few
  ;; fit in memory; the first is a 1 µs relative monotonic clock.
  (func $poll (param $count i32)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 48))
    (i64.store (i32.const 0) (i64.const 7))
    (i32.store offset=16 (i32.const 0) (i32.const 1))
    (i64.store offset=24 (i32.const 0) (i64.const 1000))
    (i32.store (i32.const 3000) (i32.const 0))
    (call $report (i32.const 5260) (i32.const 19)
      (call $poll_oneoff (i32.const 0) (i32.const 2000) (local.get $count) (i32.const 3000))))

  (func (export "_start")
    (call $iovecs)
    (call $poll (i32.const 0x40000000))
    (call $poll (i32.const 0x05555556))
    (call $poll (i32.const 0xffffffff)))
)
