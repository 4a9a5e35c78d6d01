// A TCP echo server in Go on the listener its host puts at fd 3 (the
// preview1 convention). Go's runtime makes every socket non-blocking and
// parks goroutines in its network poller, which waits in poll_oneoff with
// fd and clock subscriptions together. It serves the number of connections
// given as its argument, each in its own goroutine, and exits with status 5.
// Prints only what does not depend on timing.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
)

func main() {
	connections, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Println("usage: echo_server CONNECTIONS")
		os.Exit(2)
	}
	listener, err := net.FileListener(os.NewFile(3, "listener"))
	if err != nil {
		fmt.Println("FileListener:", err)
		os.Exit(1)
	}
	fmt.Printf("listening: %T\n", listener)

	var wg sync.WaitGroup
	var mu sync.Mutex
	echoed := []int{}
	for i := 0; i < connections; i++ {
		conn, err := listener.Accept()
		if err != nil {
			fmt.Println("Accept:", err)
			os.Exit(1)
		}
		wg.Add(1)
		go func(conn net.Conn) {
			defer wg.Done()
			n, err := io.CopyBuffer(conn, conn, make([]byte, 9))
			if err != nil {
				fmt.Println("echo:", err)
				os.Exit(1)
			}
			if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
				fmt.Println("CloseWrite:", err)
				os.Exit(1)
			}
			conn.Close()
			mu.Lock()
			echoed = append(echoed, int(n))
			mu.Unlock()
		}(conn)
	}
	wg.Wait()
	sort.Ints(echoed)
	total := 0
	for _, n := range echoed {
		total += n
	}
	fmt.Printf("echoed %v\n", echoed)
	fmt.Printf("served %d connections, %d bytes\n", connections, total)
	os.Exit(5)
}
