import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// What a ``MessageSource`` hands the envelope: a message from a queue, a Lambda SQS event
/// record, or a line of standard input or of a replay file.
enum EnvelopeInput: Sendable {
    case message(SQSMessage)
    case record(JSONValue)
    case line(String)
}
