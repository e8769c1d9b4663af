package dtmf_test

import (
	"fmt"
	"os"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmf/collector"
	"github.com/dtmfkit/dtmf/emit"
	"github.com/dtmfkit/dtmf/tone"
)

// One call, frame by frame, as a media server runs it: a PIN collection
// starts while the prompt plays, the caller keys 1234#, events go out as
// NDJSON.
func Example() {
	// 8 kHz audio: 0.3 s of prompt time, then five keys of 90 ms, 150 ms
	// apart (package tone makes test key presses).
	pcm := tone.AppendSilence(nil, 8000, 300*time.Millisecond)
	for _, k := range []byte("1234#") {
		pcm, _ = tone.AppendKey(pcm, 8000, k, 90*time.Millisecond, -10)
		pcm = tone.AppendSilence(pcm, 8000, 150*time.Millisecond)
	}

	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{
		Session: "acW68-f47ac10b-58cc-4372-a567-0e02b2c3d479",
		Sink:    emit.NewWriter(os.Stdout),
	})
	if err != nil {
		panic(err)
	}
	// "4 digits then #": MaxDigits 5 so that the 4th digit does not end the
	// collection, the pattern so that a 5th digit is not a PIN.
	cfg := collector.DefaultConfig()
	cfg.MinDigits, cfg.MaxDigits, cfg.Pattern = 4, 5, "[0-9]{4}"
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

// call is a media server's per-call DTMF state: one [dtmf.Channel] and the
// RTP bookkeeping it needs. Its methods run on the goroutine that reads
// the call's RTP; nothing in it is shared with other calls.
type call struct {
	ch      *dtmf.Channel
	pkt     rtp.Packet // reused for every packet: Unmarshal aliases the payload
	next    uint16     // sequence number expected next
	started bool
}

// newCall sets up a call's DTMF handling; all calls can share one sink.
func newCall(id string, sink emit.Sink) (*call, error) {
	ch, err := dtmf.NewChannel(dtmf.ChannelConfig{Session: id, Sink: sink}) // 8 kHz, default detector
	if err != nil {
		return nil, err
	}
	return &call{ch: ch}, nil
}

// packet handles one RTP packet of the call's PCMU (payload type 0)
// stream. Lost packets (a jump in the sequence number) become a gap of
// silence, so that the collector's timeouts keep running. It returns the
// collector's signals for the host to act on.
func (c *call) packet(b []byte) (collector.Signal, error) {
	if err := c.pkt.Unmarshal(b); err != nil {
		return 0, err
	}
	if c.pkt.PayloadType != 0 {
		return 0, nil // not PCMU: RFC 4733 events and other codecs are rtpdtmf.Receiver's job
	}
	var sig collector.Signal
	if lost := int16(c.pkt.SequenceNumber - c.next); c.started && lost > 0 {
		s, err := c.ch.Gap(int64(lost) * int64(len(c.pkt.Payload)))
		if err != nil {
			return s, err
		}
		sig |= s
	} else if c.started && lost < 0 {
		return 0, nil // late or duplicate: already played as a gap
	}
	c.started, c.next = true, c.pkt.SequenceNumber+1
	s, err := c.ch.ProcessULaw(c.pkt.Payload)
	return sig | s, err
}

// The integration a media server writes first, per call: RTP G.711
// payloads in, key events out, a PIN collection ("4 digits then #") with
// barge-in, every event to one sink shared by all calls. One packet, in
// the middle of the first key, is lost on the way: the 20 ms gap is
// shorter than the detector's MinPause, so the key is still one press of
// 80 ms. The sequence numbers wrap through 65535 on the way.
func Example_mediaServer() {
	// The caller's side: 20 ms PCMU packets of a call in which the caller
	// keys 4 7 1 1 #, with packet 12 (240-260 ms) lost in the network.
	pcm := tone.AppendSilence(nil, 8000, 200*time.Millisecond)
	for _, k := range []byte("4711#") {
		pcm, _ = tone.AppendKey(pcm, 8000, k, 80*time.Millisecond, -12)
		pcm = tone.AppendSilence(pcm, 8000, 120*time.Millisecond)
	}
	var packets [][]byte
	for i := 0; i+160 <= len(pcm); i += 160 {
		if i/160 == 12 {
			continue // lost
		}
		p := rtp.Packet{
			Header:  rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: uint16(65530 + i/160), Timestamp: uint32(i), SSRC: 0x5eed},
			Payload: tone.AppendULaw(nil, pcm[i:i+160]),
		}
		b, _ := p.Marshal()
		packets = append(packets, b)
	}

	// The media server's side.
	sink := emit.NewWriter(os.Stdout) // one sink for every call; an emit.Async or a webhook.Sink in production
	c, err := newCall("call-0001", sink)
	if err != nil {
		panic(err)
	}
	pin := collector.DefaultConfig()
	pin.MinDigits, pin.MaxDigits, pin.Pattern = 4, 5, "[0-9]{4}"
	pin.FirstDigitTimeout, pin.InterDigitTimeout, pin.Tries = 5*time.Second, 3*time.Second, 3
	if _, err := c.ch.Collect("collect-pin-001", pin); err != nil { // as the prompt starts
		panic(err)
	}
	for _, b := range packets { // as they arrive from the socket
		sig, err := c.packet(b)
		if err != nil {
			fmt.Println("bad packet:", err)
			continue
		}
		if sig.Has(collector.BargeIn) {
			fmt.Println("barge-in: stop the prompt")
		}
		if sig.Has(collector.Retry) {
			fmt.Println("invalid entry: play the prompt again")
		}
		if sig.Has(collector.Done) {
			r := c.ch.Result()
			fmt.Printf("PIN %s, terminator %c: %v\n", r.Digits, r.Terminator, r.Status)
		}
	}
	if err := c.ch.Hangup(); err != nil { // the call ends: a key still down is reported
		panic(err)
	}
	// Output:
	// barge-in: stop the prompt
	// {"event":"dtmf","session_uuid":"call-0001","digit":"4","duration_ms":80}
	// {"event":"dtmf","session_uuid":"call-0001","digit":"7","duration_ms":80}
	// {"event":"dtmf","session_uuid":"call-0001","digit":"1","duration_ms":80}
	// {"event":"dtmf","session_uuid":"call-0001","digit":"1","duration_ms":80}
	// {"event":"digits.collected","session_uuid":"call-0001","command_uid":"collect-pin-001","digits":"4711","terminator":"#","status":"success"}
	// PIN 4711, terminator #: success
	// {"event":"dtmf","session_uuid":"call-0001","digit":"#","duration_ms":80}
}
