// The smallest C program that writes: its upgraded size is what the adapter
// adds to a C program (the benchmark's size table).
#include <stdio.h>

int main(void) {
    puts("Hello, world!");
    return 0;
}
