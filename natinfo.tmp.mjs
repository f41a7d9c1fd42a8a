import { connect } from 'nats';
const [url, ...leafs] = process.argv.slice(2);
const nc = await connect({ servers: url });
const jsm = await nc.jetstreamManager();
for await (const s of jsm.streams.list()) {
  const st = s.state;
  const cons = [];
  for await (const c of jsm.consumers.list(s.config.name)) cons.push(`${c.name.slice(0,8)} del=${c.delivered.stream_seq} ack=${c.ack_floor.stream_seq} pend=${c.num_pending} wait=${c.num_waiting} ackp=${c.num_ack_pending}`);
  console.log(s.config.name, 'msgs', st.messages, 'last', st.last_seq, s.mirror ? `mirror lag ${s.mirror.lag} active ${s.mirror.active}` : '', cons.join(' | '));
}
await nc.close();
