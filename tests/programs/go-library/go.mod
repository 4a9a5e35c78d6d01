module wasi-upgrade-tests/go-library

go 1.24
