module github.com/parley-bot/parley

go 1.26.8
