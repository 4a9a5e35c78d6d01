module wasi-upgrade-tests/goroutines

go 1.24
