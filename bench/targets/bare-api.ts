// The HTTP ceiling: tg-relay's route with everything but Redis — it answers
// 202 without storing the message anywhere.
import { buildPeerApp, peerConfig, serve } from './peer-app.ts'
import { newMessageId } from '../../src/queue/producer.ts'

const app = await buildPeerApp(peerConfig(), async () => newMessageId())
await serve(app)
