module github.com/galeproject/gale

go 1.26.8

require github.com/apache/thrift v0.17.0

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/go-zookeeper/zk v1.0.4
	github.com/klauspost/compress v1.20.4
	gopkg.in/yaml.v3 v3.0.1
)
