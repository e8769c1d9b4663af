package testutil

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ModuleRoot returns the directory holding the module's go.mod: found from
// this package's own source file (so a test may have changed its working
// directory), or else by walking up from the working directory (a test
// starts in its package's directory). It fails t if there is none.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	if _, file, _, ok := runtime.Caller(0); ok {
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testutil: no go.mod above the working directory")
		}
		dir = parent
	}
}

// SpecDir returns the repository's copy of the event contract,
// testdata/spec: events.md and events.schema.json.
func SpecDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(ModuleRoot(t), "testdata", "spec")
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// EventSchema returns testdata/spec/events.schema.json compiled by a JSON
// Schema (2020-12) validator, compiled once per test binary. It fails t if
// the schema cannot be read or compiled. The schema is safe for concurrent
// use.
func EventSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(SpecDir(t), "events.schema.json")
	schemaOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		const url = "https://dtmfkit.invalid/events.schema.json"
		if schemaErr = c.AddResource(url, doc); schemaErr != nil {
			return
		}
		schema, schemaErr = c.Compile(url)
	})
	if schemaErr != nil {
		t.Fatalf("testutil: event schema %s: %v", path, schemaErr)
	}
	return schema
}

// ValidateEvent reports whether b is one JSON value that sch accepts, or
// why not.
func ValidateEvent(sch *jsonschema.Schema, b []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
