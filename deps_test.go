package dtmf_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmf/internal/testenv"
	"github.com/dtmfkit/dtmf/internal/testutil"
)

// TestDependencyGraph keeps the package map of the README true: what each
// package may not pull in, directly or not. It runs `go list -deps`.
func TestDependencyGraph(t *testing.T) {
	goTool := testenv.Tool(t, "go")
	const mod = "github.com/dtmfkit/dtmf"
	network := []string{"net/http", "crypto/tls"}
	plotting := []string{"gonum.org/v1/plot"}
	for _, rule := range []struct {
		pkg    string
		forbid []string
		why    string
	}{
		{"internal/keypad", []string{mod + "/"}, "the keypad is a leaf everyone reads"},
		{"detector", append([]string{mod + "/collector", mod + "/emit", mod + "/bench"}, network...), "the detector knows nothing of collections, events or delivery"},
		{"collector", append([]string{mod + "/emit", mod + "/bench"}, network...), "the collector owns its results; package dtmf maps them to events"},
		{"emit", append([]string{mod + "/detector", mod + "/collector", mod + "/bench"}, network...), "emit is the contract and in-process sinks; HTTP is emit/webhook"},
		{"", append([]string{mod + "/bench"}, network...), "a Channel needs no network code"},
		{"bench", append(plotting, network...), "the suite draws nothing and sends nothing"},
		{"cmd/dtmf", plotting, "the dtmf command does not link plotting (cmd/dtmf-plot does)"},
	} {
		path := mod
		if rule.pkg != "" {
			path += "/" + rule.pkg
		}
		cmd := exec.Command(goTool, "list", "-deps", path)
		cmd.Dir = testutil.ModuleRoot(t)
		out, err := cmd.Output()
		require.NoError(t, err, "go list -deps %s", path)
		deps := strings.Fields(string(out))
		t.Logf("%-40s %3d packages", path, len(deps))
		for _, d := range deps {
			if d == path {
				continue
			}
			for _, f := range rule.forbid {
				if d == f || strings.HasPrefix(d, f) && (strings.HasSuffix(f, "/") || strings.HasPrefix(d, f+"/")) {
					assert.Fail(t, "forbidden dependency", "%s depends on %s: %s", path, d, rule.why)
				}
			}
		}
	}
}
