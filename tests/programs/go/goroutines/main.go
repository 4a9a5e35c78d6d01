// Goroutines that allocate and touch hundreds of MiB in total, sleep and write
// to stdout. Go's heap takes everything up to the memory size it saw at start
// and grows memory without looking at what else grew it, so this catches any
// host-side state living in the program's memory.
//
// Phase 1 runs the workers freely (their interleaving depends on timing, so
// they print nothing); phase 2 passes a token round the workers so their
// writes come out in a fixed order. Output is a deterministic summary.
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
	"unsafe"
)

const (
	workers        = 8
	chunksPerPhase = 24
	chunkSize      = 1 << 20
	keptChunks     = 4
)

// words views a chunk as 64-bit words, so filling and checking touch every
// byte at a fraction of the cost of byte-wise loops.
func words(buf []byte) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(&buf[0])), len(buf)/8)
}

// fill writes a pattern derived from (worker, chunk) into every word of buf
// and returns its sum, so later corruption of a kept chunk is detectable.
func fill(buf []byte, worker, chunk int) uint64 {
	seed := uint64(worker)<<40 ^ uint64(chunk)<<20 ^ 0x9e3779b97f4a7c15
	var sum uint64
	for i, w := 0, words(buf); i < len(w); i++ {
		v := seed ^ uint64(i)*0xff51afd7ed558ccd
		w[i] = v
		sum += v >> 8
	}
	return sum
}

func checksum(buf []byte) uint64 {
	var sum uint64
	for _, v := range words(buf) {
		sum += v >> 8
	}
	return sum
}

type kept struct {
	buf []byte
	sum uint64
}

// work allocates chunksPerPhase chunks, keeps the last few alive, sleeps
// between allocations, and verifies every chunk before letting it go. It
// returns the total of all chunk sums and whether every chunk was intact.
func work(worker, phase int, between func(chunk int)) (uint64, bool) {
	var total uint64
	intact := true
	var live []kept
	for c := 0; c < chunksPerPhase; c++ {
		chunk := phase*chunksPerPhase + c
		buf := make([]byte, chunkSize)
		sum := fill(buf, worker, chunk)
		total += sum
		live = append(live, kept{buf, sum})
		// Deep recursion forces goroutine stack growth while the heap grows.
		if depth(worker+c%5, 200) == 0 {
			intact = false
		}
		between(chunk)
		// Each chunk is verified once, when it leaves the live set, after
		// several more allocations, sleeps and writes have happened.
		if len(live) > keptChunks {
			intact = intact && checksum(live[0].buf) == live[0].sum
			live = live[1:]
		}
	}
	for _, k := range live {
		intact = intact && checksum(k.buf) == k.sum
	}
	return total, intact
}

func depth(seed, n int) int {
	var pad [64]byte
	pad[n%64] = byte(seed)
	if n == 0 {
		return int(pad[0]) + 1
	}
	return depth(seed, n-1) + int(pad[n%64]&1)
}

func main() {
	fmt.Println("goroutine stress: start")
	results := make([][2]uint64, workers)
	intact := make([]bool, workers)

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sum, ok := work(w, 0, func(chunk int) {
				if chunk%6 == 5 {
					time.Sleep(time.Millisecond)
				}
			})
			results[w][0] = sum
			intact[w] = ok
		}(w)
	}
	wg.Wait()
	fmt.Println("phase 1 (free-running) done")

	tokens := make([]chan struct{}, workers+1)
	for i := range tokens {
		tokens[i] = make(chan struct{})
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sum, ok := work(w, 1, func(chunk int) {
				<-tokens[w]
				fmt.Fprintf(os.Stdout, "worker %d chunk %d\n", w, chunk)
				time.Sleep(100 * time.Microsecond)
				tokens[w+1] <- struct{}{}
			})
			results[w][1] = sum
			intact[w] = intact[w] && ok
		}(w)
	}
	// Relay the token from the last worker back to the first, once per chunk.
	go func() {
		for c := 0; c < chunksPerPhase; c++ {
			tokens[0] <- struct{}{}
			<-tokens[workers]
		}
	}()
	wg.Wait()

	allIntact := true
	var grand uint64
	for w := 0; w < workers; w++ {
		fmt.Printf("worker %d: phase sums %d %d intact %v\n", w, results[w][0], results[w][1], intact[w])
		grand += results[w][0] + results[w][1]
		allIntact = allIntact && intact[w]
	}
	total := workers * 2 * chunksPerPhase * chunkSize
	fmt.Printf("allocated %d MiB in total, grand sum %d\n", total>>20, grand)
	if !allIntact {
		fmt.Println("CORRUPTION DETECTED")
		os.Exit(1)
	}
	fmt.Println("goroutine stress: ok")
}
