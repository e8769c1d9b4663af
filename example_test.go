package dtmf_test

import (
	"fmt"
	"os"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/internal/synth"
)

// One call, frame by frame, as a media server runs it: a PIN collection
// starts while the prompt plays, the caller keys 1234#, events go out as
// NDJSON.
func Example() {
	// Two seconds of 8 kHz audio: 0.3 s of prompt time, then five keys of
	// 90 ms, 150 ms apart.
	s := synth.New(8000, 1)
	s.Silence(300)
	for _, k := range []byte("1234#") {
		_ = s.Add(synth.Tone{Digit: k, Duration: 90, LowLevel: -10, HighLevel: -10})
		s.Silence(150)
	}
	pcm := s.PCM()

	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{
		Session: "acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479",
		Sink:    emit.NewWriter(os.Stdout),
	})
	if err != nil {
		panic(err)
	}
	cfg := collector.DefaultConfig()
	cfg.MinDigits, cfg.MaxDigits = 4, 8
	if _, err := ch.Collect("collect-pin-001", cfg); err != nil {
		panic(err)
	}
	for f := 0; f+160 <= len(pcm); f += 160 { // 20 ms frames
		sig, err := ch.Process(pcm[f : f+160])
		if err != nil {
			panic(err)
		}
		if sig.Has(collector.BargeIn) {
			fmt.Printf("stop the prompt at %d ms\n", ch.Position()/8)
		}
	}
	if err := ch.Hangup(); err != nil {
		panic(err)
	}
	// Output:
	// stop the prompt at 340 ms
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","digit":"1","duration_ms":90}
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","digit":"2","duration_ms":90}
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","digit":"3","duration_ms":90}
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","digit":"4","duration_ms":90}
	// {"event":"digits.collected","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","command_uid":"collect-pin-001","digits":"1234","terminator":"#","status":"success"}
	// {"event":"dtmf","session_uuid":"acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479","digit":"#","duration_ms":90}
}
