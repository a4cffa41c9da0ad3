#!/usr/bin/env python3
"""Notes that teach right, checked on real and crafted captures (one test per
point of issue 10's "Notes that teach right"):

- a probe into a zero window is called a zero-window probe, though its flag
  keeps Wireshark's name keep_alive (zero_window.pcap, Linux's probes);
- a retransmission by timeout says how long the timer waited, and that it
  doubled (syn_retransmit.pcap, crafted/mid_stream_fin_data.pcap); the wait
  counts from what last restarted the timer, a tail loss probe or an ACK of
  new data (crafted/timer_restarts.pcap); one sent right after an ACK (SACK
  recovery in loss_retrans.pcap) is not called so;
- a FIN carrying data says both (zero_window.pcap, the crafted capture);
- a SYN-ACK says the window scale it offers (handshake_data_fin.pcap);
- a capture without its handshake says "handshake not captured" (crafted).

Each in English and Chinese.
"""
import json
import os
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
CAPTURES = os.path.join(ROOT, "tests", "captures")


def timeline(capture):
    r = subprocess.run([TCPVIZ, "analyze", os.path.join(CAPTURES, capture), "--quiet"],
                       capture_output=True, check=True)
    return json.loads(r.stdout)


def ladder(capture, lang="en"):
    r = subprocess.run([TCPVIZ, "analyze", os.path.join(CAPTURES, capture), "--quiet", "--format", "text",
                        "--notes", "--lang", lang], capture_output=True, check=True)
    return r.stdout.decode()


class ZeroWindowProbe(unittest.TestCase):
    def test_linux_probes_are_zero_window_probes_with_wiresharks_flag(self):
        events = timeline("zero_window.pcap")["events"]
        probes = [e for e in events if "keep_alive" in e["analysis"]]
        self.assertGreaterEqual(len(probes), 3)
        for e in probes:
            self.assertEqual(e["note_id"], "zero_window_probe_empty", e["frame"])
            self.assertIn("Zero-window probe", e["note"])
            self.assertIn("keep_alive", e["note"], "says why the flag differs")
        replies = [e for e in events if e["note_id"] == "zero_window_probe_ack"]
        self.assertGreaterEqual(len(replies), 2)
        self.assertTrue(all(e["win"] == 0 and e["dir"] == "s2c" for e in replies))
        zh = ladder("zero_window.pcap", "zh")
        self.assertIn("零窗口探测：服务器的窗口为 0", zh)
        self.assertNotIn("保活探测", zh)

    def test_keep_alives_into_an_open_window_stay_keep_alives(self):
        notes = [e["note_id"] for e in timeline("keepalive.pcap")["events"] if "keep_alive" in e["analysis"]]
        self.assertEqual(notes, ["keep_alive"] * 3)


class TimeoutRetransmission(unittest.TestCase):
    def test_syn_retransmissions_say_the_gap_and_that_it_doubled(self):
        syns = [e for e in timeline("syn_retransmit.pcap")["events"] if "retransmission" in e["analysis"]]
        self.assertEqual([e["note_id"] for e in syns], ["syn_again_timed", "syn_again_backoff"])
        first, second = syns[0]["note_args"][0], syns[1]["note_args"][0]
        self.assertAlmostEqual(first, 1000, delta=50)
        self.assertAlmostEqual(second / first, 2, delta=0.2)
        self.assertEqual(syns[1]["note_args"][1], first)
        self.assertIn(f"double the {first} ms", syns[1]["note"])
        self.assertIn(f"上一次等待（{first} ms）的两倍", ladder("syn_retransmit.pcap", "zh"))

    def test_data_resent_by_timeout_says_each_wait_and_the_doubling(self):
        resent = [e for e in timeline("crafted/mid_stream_fin_data.pcap")["events"]
                  if "retransmission" in e["analysis"]]
        self.assertEqual([(e["note_id"], e["note_args"]) for e in resent], [
            ("retransmission_timeout", [15, 200, 0]),
            ("retransmission_backoff", [400, 200, 600]),
            ("retransmission_backoff", [800, 400, 1400]),
        ])
        zh = ladder("crafted/mid_stream_fin_data.pcap", "zh")
        self.assertIn("这 15 字节发出后 200 ms 内没有收到确认", zh)
        self.assertIn("这次计时器等了 800 ms，是上一次超时（400 ms）的两倍", zh)

    def test_the_wait_counts_from_the_probe_or_the_ack_that_restarted_the_timer(self):
        capture = "crafted/timer_restarts.pcap"
        resent = [e for e in timeline(capture)["events"] if "retransmission" in e["analysis"]]
        self.assertEqual([(e["note_id"], e["note_args"]) for e in resent], [
            ("retransmission_timeout_after_send", [15, 284, 528]),  # from the probe, not the line's 528
            ("retransmission_backoff", [576, 284, 1104]),  # twice 284, not 576 vs 528
            ("retransmission", [7, 0, 0]),  # resent at once on an ACK: no timer
            ("retransmission_timeout_after_ack", [9, 300, 349]),
            ("retransmission_timeout", [4, 210, 0]),  # new data sent while the timer ran did not restart it
        ])
        en = ladder(capture)
        self.assertIn("when it sent its latest segment (a tail loss probe or new data) 284 ms ago", en)
        self.assertIn("the timer waited 576 ms this time, double the 284 ms of the previous timeout", en)
        self.assertIn("The server's latest ACK of new data, 300 ms ago, restarted the client's", en)
        zh = ladder(capture, "zh")
        self.assertIn("284 ms 之前客户端发出最近一个报文段（尾部丢失探测或新数据）时，重新启动了重传计时器", zh)
        self.assertIn("这次计时器等了 576 ms，是上一次超时（284 ms）的两倍", zh)
        self.assertIn("300 ms 之前服务器确认了新数据", zh)

    def test_a_retransmission_right_after_an_ack_is_not_called_a_timeout(self):
        events = timeline("loss_retrans.pcap")["events"]
        last_from = {}
        timed = 0
        for e in events:
            if e["note_id"].startswith("retransmission_timeout") or e["note_id"] == "retransmission_backoff":
                timed += 1
                peer = last_from.get("s2c" if e["dir"] == "c2s" else "c2s")
                waited = e["note_args"][1] if e["note_id"].startswith("retransmission_timeout") else e["note_args"][0]
                silent_ms = (e["t"] - peer) * 1000 if peer is not None else 1e9
                self.assertTrue(silent_ms >= 200 or silent_ms >= waited - 1, (e["frame"], silent_ms, waited))
            last_from[e["dir"]] = e["t"]
        plain = [e for e in events if e["note_id"] == "retransmission"]
        self.assertGreater(len(plain), 0, "SACK-driven resends keep the plain note")


class FinWithData(unittest.TestCase):
    def test_a_fin_carrying_data_says_both(self):
        fin = next(e for e in timeline("zero_window.pcap")["events"] if "FIN" in e["flags"] and e["len"] > 0)
        self.assertEqual(fin["note_id"], "fin_data_first")
        self.assertEqual(fin["note_args"], [fin["len"], fin["seq"], fin["seq"] + fin["len"] - 1])
        self.assertIn(f"FIN with data: {fin['len']} bytes", fin["note"])
        self.assertIn("no more data", fin["note"])
        notes = [e["note_id"] for e in timeline("crafted/mid_stream_fin_data.pcap")["events"] if "FIN" in e["flags"]]
        self.assertEqual(notes, ["fin_data_first", "fin_data_second"])
        self.assertIn("带数据的 FIN：客户端发送 4096 字节数据", ladder("zero_window.pcap", "zh"))


class SynAckScale(unittest.TestCase):
    def test_the_syn_ack_says_the_scale_it_offers(self):
        t = timeline("handshake_data_fin.pcap")
        synack = next(e for e in t["events"] if e["flags"] == ["SYN", "ACK"])
        self.assertEqual(synack["note_id"], "syn_ack_scale")
        self.assertEqual(synack["note_args"][2], synack["options"]["ws"])
        self.assertIn(f"It offers window scale {synack['options']['ws']}", synack["note"])
        self.assertIn(f"它提出窗口扩大因子 {synack['options']['ws']}", ladder("handshake_data_fin.pcap", "zh"))


class HandshakeNotCaptured(unittest.TestCase):
    def test_a_capture_without_its_handshake_says_so(self):
        c = timeline("crafted/mid_stream_fin_data.pcap")["connections"][0]
        self.assertFalse(c["handshake"]["seen"])
        self.assertEqual(c["handshake"]["syn_ack_count"], 0)
        self.assertIn("# conn 0: handshake not captured,", ladder("crafted/mid_stream_fin_data.pcap"))
        self.assertIn("# 连接 0：握手不在抓包中，", ladder("crafted/mid_stream_fin_data.pcap", "zh"))

    def test_a_handshake_that_began_but_failed_is_still_incomplete(self):
        self.assertIn("# conn 0: handshake incomplete,", ladder("syn_retransmit.pcap"))
        self.assertIn("# conn 0: handshake incomplete,", ladder("refused.pcap"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
