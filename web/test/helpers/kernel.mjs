// Kernel samples for the chart tests, shaped like tcpviz capture's: the client's
// and the server's sockets read at the same instants, a fast recovery and a
// timeout on the client (cwnd 115 before the loss).

/** A connection whose two sockets are sampled at the same instants, as tcpviz capture does. */
export function pairedSamples() {
  const kernel = [];
  const client = [10, 20, 40, 80, 115, 57, 58, 59, 1, 2, 4];
  const state = ['open', 'open', 'open', 'open', 'open', 'recovery', 'recovery', 'open', 'loss', 'loss', 'open'];
  client.forEach((cwnd, i) => {
    const t = 0.05 * i;
    kernel.push({ t, side: 'client', ca_state: state[i], cwnd, ssthresh: i >= 5 ? 57 : null });
    kernel.push({ t, side: 'server', ca_state: 'open', cwnd: 10, ssthresh: null });
  });
  return { id: 0, kernel };
}
