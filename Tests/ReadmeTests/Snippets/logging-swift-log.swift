// The README.md block `swift logging-swift-log`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
// Logging is a stub of swift-log's API (Tests/SwiftLogStub): this package depends on no package.

// begin README: logging-swift-log
import Logging
import Microcosm

struct SwiftLogHandler: Microcosm.LogHandler {
    let logger: Logging.Logger
    func log(_ record: LogRecord) {
        logger.log(level: Logging.Logger.Level(rawValue: record.level.rawValue)!,
                   "\(record.message)",
                   metadata: record.metadata.mapValues { .string($0) })
    }
}
// end README: logging-swift-log

func readmeLoggingSwiftLog(graph: Graph) {
// begin README: logging-swift-log
graph.assign("logger", Microcosm.Logger(label: "things", level: .trace,
                                        handler: SwiftLogHandler(logger: Logging.Logger(label: "things"))))
// end README: logging-swift-log
}
