// A Go library for WASI preview1 (`-buildmode=c-shared`): a reactor whose
// `//go:wasmexport` functions take and return numbers, each running
// goroutines, timers and the garbage collector inside the call, and one
// keeping state between calls. Results are deterministic, so the same calls
// on the native module and on the upgraded component must agree.
package main

import (
	"os"
	"runtime"
	"sync"
	"time"
)

func main() {}

// Sums fib(0..n-1), each term computed by its own goroutine and sent back
// over a channel.
//
//go:wasmexport fib_sum_parallel
func fibSumParallel(n int32) int64 {
	results := make(chan int64, n)
	var wg sync.WaitGroup
	for i := int32(0); i < n; i++ {
		wg.Add(1)
		go func(k int32) {
			defer wg.Done()
			results <- fib(k)
		}(i)
	}
	wg.Wait()
	close(results)
	var sum int64
	for r := range results {
		sum += r
	}
	return sum
}

func fib(n int32) int64 {
	a, b := int64(0), int64(1)
	for ; n > 0; n-- {
		a, b = b, a+b
	}
	return a
}

// Allocates `megabytes` MiB in short-lived blocks across 8 goroutines,
// collecting garbage along the way, and returns a checksum of what the
// blocks held.
//
//go:wasmexport churn
func churn(megabytes int32) int64 {
	var wg sync.WaitGroup
	sums := make([]int64, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < int(megabytes)*16/8; i++ {
				block := make([]byte, 64<<10)
				for j := range block {
					block[j] = byte(i + j + g)
				}
				sums[g] += int64(block[i%len(block)])
				if i%64 == 0 {
					runtime.GC()
				}
			}
		}(g)
	}
	wg.Wait()
	runtime.GC()
	var total int64
	for _, s := range sums {
		total += s
	}
	return total
}

// Starts `n` goroutines that each wait on a timer of 3..3n milliseconds,
// while the caller waits on a ticker; returns how many timers fired, or -1
// if the call returned before the longest deadline.
//
//go:wasmexport timers
func timers(n int32) int32 {
	start := time.Now()
	fired := make(chan int32, n)
	for i := int32(1); i <= n; i++ {
		go func(k int32) {
			timer := time.NewTimer(time.Duration(k) * 3 * time.Millisecond)
			<-timer.C
			fired <- k
		}(i)
	}
	ticker := time.NewTicker(time.Millisecond)
	defer ticker.Stop()
	<-ticker.C
	<-ticker.C
	var count int32
	for i := int32(0); i < n; i++ {
		<-fired
		count++
	}
	if time.Since(start) < time.Duration(n)*3*time.Millisecond {
		return -1
	}
	return count
}

var total float64

// Adds to a total kept between calls and returns it.
//
//go:wasmexport accumulate
func accumulate(x float64) float64 {
	total += x
	return total
}

// The number of environment variables the library sees.
//
//go:wasmexport environment_size
func environmentSize() int32 {
	return int32(len(os.Environ()))
}
