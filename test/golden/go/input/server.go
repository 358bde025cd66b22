// Package kv serves a tiny in-memory key-value store over HTTP.
package kv

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"

	log "github.com/sirupsen/logrus"
)

const DefaultAddr = ":8080"

var ErrNotFound = errors.New("kv: key not found")

// Store is a concurrency-safe map.
type Store struct {
	mu   sync.RWMutex
	data map[string][]byte
}

// Getter reads values.
type Getter interface {
	Get(key string) ([]byte, error)
}

type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

type Pair[K comparable, V any] struct {
	Key   K
	Value V
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{data: make(map[string][]byte)}
}

// Get returns the value stored under key.
func (s *Store) Get(key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	value, ok := s.data[key]
	if !ok {
		return nil, ErrNotFound
	}
	return value, nil
}

func (s *Store) Put(key string, value []byte) {
	s.mu.Lock()
	s.data[key] = value
	s.mu.Unlock()
}

func (p Pair[K, V]) String() string {
	return "pair"
}

func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	switch r.Method {
	case http.MethodGet:
		value, err := s.Get(key)
		if errors.Is(err, ErrNotFound) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"value": string(value)})
	case http.MethodPut:
		var body struct{ Value string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			log.WithError(err).Warn("bad body")
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.Put(key, []byte(body.Value))
	}
}

func Serve(store Getter) error {
	return http.ListenAndServe(DefaultAddr, store.(http.Handler))
}
