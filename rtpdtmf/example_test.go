package rtpdtmf_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"time"

	"github.com/pion/rtp"

	"github.com/dtmfkit/dtmf/detector"
	"github.com/dtmfkit/dtmf/rfc4733"
	"github.com/dtmfkit/dtmf/rtpdtmf"
)

// keyAudio returns 8 kHz audio: 100 ms of silence, digit for ms
// milliseconds (each tone at -10 dBm0), 300 ms of silence.
func keyAudio(digit byte, ms int) []int16 {
	low, high, _ := detector.KeyFrequencies(digit)
	amp := 0.6997 * 32768 * math.Pow(10, -10.0/20)
	x := make([]int16, 8*(100+ms+300))
	for i := 800; i < 800+8*ms; i++ {
		t := float64(i) / 8000
		x[i] = int16(amp*math.Sin(2*math.Pi*low*t) + amp*math.Sin(2*math.Pi*high*t))
	}
	return x
}

// l16Packets cuts audio into 20 ms RTP packets of L16 (payload type 96).
func l16Packets(pcm []int16, ssrc uint32) [][]byte {
	var out [][]byte
	for i := 0; i+160 <= len(pcm); i += 160 {
		p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: uint16(1000 + i/160), Timestamp: uint32(50000 + i), SSRC: ssrc}}
		for _, v := range pcm[i : i+160] {
			p.Payload = binary.BigEndian.AppendUint16(p.Payload, uint16(v))
		}
		b, err := p.Marshal()
		if err != nil {
			panic(err)
		}
		out = append(out, b)
	}
	return out
}

// Decode the keys of one RTP stream: here a key pressed in the audio.
func ExampleReceiver() {
	cfg := rtpdtmf.DefaultConfig()
	cfg.PayloadTypes = append(cfg.PayloadTypes, rtpdtmf.PayloadType{Number: 96, Encoding: rtpdtmf.L16})
	r, err := rtpdtmf.NewReceiver(cfg)
	if err != nil {
		panic(err)
	}
	var events []rtpdtmf.Event
	for _, packet := range l16Packets(keyAudio('7', 120), 0x1234) {
		events, err = r.Process(events[:0], packet)
		if err != nil {
			panic(err)
		}
		for _, e := range events {
			if e.Type == detector.KeyUp {
				fmt.Printf("key %c (%v) from RTP timestamp %d: duration_ms=%d\n", e.Digit, e.Source, e.Timestamp, e.DurationMS)
			}
		}
	}
	// Output:
	// key 7 (inband) from RTP timestamp 50800: duration_ms=120
}

// Telephone-events become the same events, with their duration, whatever
// the sender did with the Marker bit and the end packets.
func ExampleReceiver_rfc4733() {
	r, err := rtpdtmf.NewReceiver(rtpdtmf.DefaultConfig())
	if err != nil {
		panic(err)
	}
	code, _ := rfc4733.Code('#')
	var events []rtpdtmf.Event
	for i, d := range []uint16{160, 480, 800, 960, 960, 960} { // updates, then the final packet three times
		payload, _ := rfc4733.Event{Code: code, End: i >= 3, Volume: 10, Duration: d}.Append(nil)
		p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 101, SequenceNumber: uint16(i), Timestamp: 8000, SSRC: 1}, Payload: payload}
		events, err = r.ProcessPacket(events, &p)
		if err != nil {
			panic(err)
		}
	}
	for _, e := range events {
		fmt.Println(e.Type, string(e.Digit), e.Source, e.DurationMS, "ms")
	}
	// Output:
	// keydown # rfc4733 0 ms
	// keyup # rfc4733 120 ms
}

// Send the keys a detector finds as RFC 4733 telephone-events, as a media
// server would on its outgoing stream. The first packet goes as soon as
// the key is confirmed, back-dated to the tone's start (100 ms); updates
// report what is known for sure (HoldBack behind the detector), the final
// packet the measured 200 ms.
func ExampleSender() {
	d, _ := detector.New(detector.DefaultConfig())
	s, err := rtpdtmf.NewSender(rtpdtmf.DefaultSenderConfig())
	if err != nil {
		panic(err)
	}
	s.SetTimestamp(0, 50000) // position 0 of the detector is RTP timestamp 50000
	pcm := keyAudio('5', 200)
	var events []detector.Event
	var packets []rtpdtmf.EventPacket
	for pos := 0; pos+160 <= len(pcm); pos += 160 {
		events = d.Process(events[:0], pcm[pos:pos+160])
		now := int64(pos + 160)
		packets = s.Process(packets[:0], events, now, now)
		for _, p := range packets {
			fmt.Printf("at %3d ms: timestamp %d marker=%-5v %v\n", now/8, p.Timestamp, p.Marker, p.Event)
		}
	}
	// Output:
	// at 140 ms: timestamp 50800 marker=true  5 vol=7 dur=160
	// at 200 ms: timestamp 50800 marker=false 5 vol=7 dur=320
	// at 240 ms: timestamp 50800 marker=false 5 vol=7 dur=640
	// at 300 ms: timestamp 50800 marker=false 5 vol=7 dur=1120
	// at 340 ms: timestamp 50800 marker=false 5 vol=7 dur=1440
	// at 360 ms: timestamp 50800 marker=false 5 E vol=7 dur=1600
	// at 420 ms: timestamp 50800 marker=false 5 E vol=7 dur=1600
	// at 460 ms: timestamp 50800 marker=false 5 E vol=7 dur=1600
}

// A gateway between two UDP sockets on 127.0.0.1: a sender goroutine sends
// a stream with a key in its audio, the gateway forwards it with the key
// taken out of the audio and sent as telephone-events, and the far end's
// receiver reports it: carried by RFC 4733 only, not in-band too. (With
// KeepTones the far end would find it both ways, and flag the duplicate.)
func Example_gateway() {
	listen := func() *net.UDPConn {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			panic(err)
		}
		return c
	}
	gwConn, farConn := listen(), listen()
	defer gwConn.Close()
	defer farConn.Close()

	// The sender: 20 ms packets, paced a little so that nothing overflows.
	go func() {
		c, err := net.DialUDP("udp", nil, gwConn.LocalAddr().(*net.UDPAddr))
		if err != nil {
			panic(err)
		}
		defer c.Close()
		for _, p := range l16Packets(keyAudio('9', 150), 0xabc) {
			_, _ = c.Write(p)
			time.Sleep(time.Millisecond)
		}
	}()

	// The gateway: forwards until its input has been quiet for 300 ms.
	go func() {
		cfg := rtpdtmf.DefaultGatewayConfig()
		cfg.Receiver.PayloadTypes = append(cfg.Receiver.PayloadTypes, rtpdtmf.PayloadType{Number: 96, Encoding: rtpdtmf.L16})
		g, err := rtpdtmf.NewGateway(cfg)
		if err != nil {
			panic(err)
		}
		far := farConn.LocalAddr().(*net.UDPAddr)
		buf := make([]byte, 1500)
		var out []rtp.Packet
		send := func() {
			for _, p := range out {
				b, _ := p.Marshal()
				_, _ = gwConn.WriteToUDP(b, far)
			}
		}
		for {
			_ = gwConn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			n, _, err := gwConn.ReadFromUDP(buf)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				out = g.Flush(out[:0])
				send()
				return
			}
			out, _ = g.Process(out[:0], buf[:n])
			send()
		}
	}()

	// The far end, with the payload types the SDP would give it.
	far := rtpdtmf.DefaultConfig()
	far.PayloadTypes = append(far.PayloadTypes, rtpdtmf.PayloadType{Number: 96, Encoding: rtpdtmf.L16})
	r, err := rtpdtmf.NewReceiver(far)
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 1500)
	var events []rtpdtmf.Event
	for {
		_ = farConn.SetReadDeadline(time.Now().Add(700 * time.Millisecond))
		n, err := farConn.Read(buf)
		if err != nil {
			break
		}
		events, _ = r.Process(events, buf[:n])
	}
	events = r.Flush(events)
	for _, e := range events {
		if e.Type == detector.KeyUp {
			fmt.Printf("key %c, %d ms, via %v, also in-band: %v\n", e.Digit, e.DurationMS, e.Source, e.Duplicate)
		}
	}
	// Output:
	// key 9, 150 ms, via rfc4733, also in-band: false
}
