module github.com/parley-bot/parley

go 1.26.8

require github.com/slack-go/slack v0.35.0

require (
	github.com/gorilla/websocket v1.5.3 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
