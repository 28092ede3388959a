import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

private struct InvoicePaid: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.acme.pubsub._.paid.invoice"
    var uri: String
    var amount: Double
    var paidAt: Date
    var reference: String?
}

/// A refund whose `init(from:)` rejects an empty reason, so the placeholder stops its description.
private struct RefundIssued: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.acme.pubsub._.issued.refund"
    var reason: String
    var amount: Double
    enum CodingKeys: String, CodingKey { case reason, amount }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reason = try container.decode(String.self, forKey: .reason)
        guard !reason.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .reason, in: container, debugDescription: "no reason") }
        amount = try container.decode(Double.self, forKey: .amount)
    }
}

/// A handler the tool must not build: building it needs a setting the tests do not give.
private struct RecordPayment: MessageHandler {
    init(graph: Graph) throws { _ = try graph.config.string("ledger.base_url") }
    func handle(_ message: InvoicePaid, context: HandlerContext) async throws -> Bool { true }
}

/// `billing-daemon`: reads paid invoices and deleted customers; `ledger` needs `ledger.base_url`
/// when `requiresLedger`.
private struct BillingDaemon: ConsumerDaemon {
    var requiresLedger = false
    var readsRefunds = false
    var name: String { "billing-daemon" }

    var registry: Registry {
        var registry = Registry.pubsub
        if requiresLedger {
            registry.bind("ledger", defaults: ["base_url": .required(.string, mock: "http://ledger.test")]) { graph in try graph.config.string("ledger.base_url") }
        }
        return registry
    }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(RecordPayment.self)
        handlers.register(.deleted("Customer")) { _ in true }
        if readsRefunds { handlers.register(RefundIssued.self) { _ in true } }
        return handlers
    }
}

/// `<daemon> schemas export` and `<daemon> schemas check FILE` through the daemon's entry point.
final class SchemasToolTests: XCTestCase {
    private struct Result {
        var status: Int32
        var output: String
        var errors: [String]
    }

    private func run(_ arguments: [String], daemon: BillingDaemon = BillingDaemon(), environment: [String: String] = [:]) async -> Result {
        let output = Recorder<String>(), errors = Recorder<String>()
        let status = await daemon.run(arguments: ["schemas"] + arguments, environment: environment,
                                      output: { output.append($0) }, errorOutput: { errors.append($0) })
        return Result(status: status, output: output.all.joined(separator: "\n"), errors: errors.all)
    }

    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// The service's export, read back: the file a team would have committed.
    private func committedExport() async throws -> PubSubSchemaDocument {
        try PubSubSchemaDocument(parsing: await run(["export"]).output)
    }

    func testExport_printsEveryMediaTypeTheServiceReadsAndProduces_theSameBytesEachRun() async throws {
        let environment = ["BILLING_DAEMON__SNS_TOPIC_ARNS__CREATED__INVOICE": "arn:aws:sns:us-east-1:123456789012:invoices"]
        let result = await run(["export"], environment: environment)
        XCTAssertEqual(result.status, 0, "\(result.errors)")
        XCTAssertEqual(result.errors, [])
        let document = try PubSubSchemaDocument(parsing: result.output)
        XCTAssertEqual(document.schemas.keys.map(\.rawValue).sorted(), [
            InvoicePaid.mediaType.rawValue, "application/vnd.globality.pubsub._.created.batch_message",
            "application/vnd.globality.pubsub._.created.invoice", "application/vnd.globality.pubsub._.deleted.customer",
        ])
        let invoice = document.schemas[InvoicePaid.mediaType]
        XCTAssertEqual(invoice?["required"], ["amount", "mediaType", "paid_at", "uri"])
        XCTAssertEqual(invoice?["properties"]?["paid_at"], ["type": "string", "format": "date-time"])
        XCTAssertEqual(document.schemas[.created("Invoice")]?["required"], ["mediaType", "uri"], "a produced convention type")
        let again = await run(["export"], environment: environment)
        XCTAssertEqual(again.output, result.output)
    }

    func testCheck_againstItsOwnExport_findsNoChange_andExits0() async throws {
        let exported = await run(["export"])
        let path = try file(exported.output)
        let result = await run(["check", path])
        XCTAssertEqual(result.status, 0, "\(result.errors)")
        XCTAssertEqual(result.output, "no changes from \(path)")
    }

    func testCheck_withABreakingChange_printsOneLineEach_andExits1() async throws {
        var committed = try await committedExport()
        guard case .object(var invoice)? = committed.schemas[InvoicePaid.mediaType],
              case .object(var fields)? = invoice["properties"] else { return XCTFail("no invoice schema") }
        fields["amount"] = ["type": "integer"]     // the service widened it: safe
        fields["currency"] = ["type": "string"]    // the service dropped it: breaking
        invoice["properties"] = .object(fields)
        committed.schemas[InvoicePaid.mediaType] = .object(invoice)
        committed.schemas["application/vnd.acme.pubsub._.voided.invoice"] = ["type": "object"]
        let path = try file(committed.text)

        let result = await run(["check", path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.output.components(separatedBy: "\n"), [
            "safe: application/vnd.acme.pubsub._.paid.invoice: field 'amount' type integer -> number",
            "breaking: application/vnd.acme.pubsub._.paid.invoice: field 'currency' removed",
            "breaking: application/vnd.acme.pubsub._.voided.invoice: media type removed",
            "2 breaking, 1 safe change(s) from \(path)",
        ])

        let json = await run(["check", "--json", path])
        XCTAssertEqual(json.status, 1)
        let report = try JSONParser.parse(json.output)
        XCTAssertEqual(report["breaking"], 2)
        XCTAssertEqual(report["safe"], 1)
        XCTAssertEqual(report["changes"]?.arrayValue?.first,
                       ["kind": "safe", "media_type": "application/vnd.acme.pubsub._.paid.invoice", "field": "amount",
                        "change": "type integer -> number"])
    }

    func testCheck_withOnlySafeChanges_exits0() async throws {
        var committed = try await committedExport()
        committed.schemas[.deleted("Customer")] = nil
        let path = try file(committed.text)
        let result = await run(["check", path])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output.components(separatedBy: "\n"), [
            "safe: application/vnd.globality.pubsub._.deleted.customer: media type added",
            "0 breaking, 1 safe change(s) from \(path)",
        ])
    }

    func testUsageErrorsAndUnreadableFiles_exit64_withOneLine() async throws {
        let notADocument = try file("[]")
        let cases: [([String], String)] = [
            ([], "billing-daemon schemas: needs a subcommand: export or check (see --help)"),
            (["import"], "billing-daemon schemas: unknown subcommand 'import' (export or check) (see --help)"),
            (["check"], "billing-daemon schemas: check needs FILE, the committed schema document (see --help)"),
            (["check", "a.json", "b.json"], "billing-daemon schemas: check takes one FILE, not 2 (see --help)"),
            (["export", "--json"], "billing-daemon schemas export: unknown option '--json' (see --help)"),
            (["check", "/nonexistent/schemas.json"], "billing-daemon schemas check: cannot read /nonexistent/schemas.json: "),
            (["check", notADocument], "billing-daemon schemas check: \(notADocument): not a schema document: it is array, not an object"),
        ]
        for (arguments, line) in cases {
            let result = await run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.output, "", "\(arguments)")
            XCTAssertEqual(result.errors.count, 1, "\(arguments): \(result.errors)")
            XCTAssertTrue(result.errors.first?.hasPrefix(line) ?? false, "\(arguments): \(result.errors)")
        }
    }

    func testHelp_describesTheCommandAndEachSubcommand() async {
        let help = await run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.output.hasPrefix("usage: billing-daemon schemas export [--testing]\n       billing-daemon schemas check FILE [--json] [--shared]"),
                      help.output)
        let check = await run(["check", "--help"])
        XCTAssertEqual(check.status, 0)
        XCTAssertTrue(check.output.hasPrefix("usage: billing-daemon schemas check FILE [--json] [--shared] [--testing]"), check.output)
        let export = await run(["export", "-h"])
        XCTAssertTrue(export.output.hasPrefix("usage: billing-daemon schemas export [--testing]"), export.output)
        let daemonHelp = Recorder<String>()
        _ = await BillingDaemon().run(arguments: ["--help"], environment: [:], output: { daemonHelp.append($0) })
        XCTAssertTrue(daemonHelp.all.joined().contains("\n  schemas "), "the daemon's help lists the command")
    }

    func testExport_readsTheServicesConfiguration_aMissingSettingIsOneLine_andTestingMocksIt() async throws {
        let daemon = BillingDaemon(requiresLedger: true)
        let missing = await run(["export"], daemon: daemon)
        XCTAssertEqual(missing.status, 64)
        XCTAssertEqual(missing.errors.count, 1, "\(missing.errors)")
        XCTAssertTrue(missing.errors.first?.hasPrefix("billing-daemon schemas: ") ?? false, "\(missing.errors)")
        XCTAssertTrue(missing.errors.first?.contains("ledger.base_url") ?? false, "\(missing.errors)")

        let configured = await run(["export"], daemon: daemon, environment: ["BILLING_DAEMON__LEDGER__BASE_URL": "http://ledger"])
        XCTAssertEqual(configured.status, 0, "\(configured.errors)")
        let testing = await run(["export", "--testing"], daemon: daemon)
        XCTAssertEqual(testing.status, 0, "\(testing.errors)")
        XCTAssertEqual(testing.output, configured.output)
    }

    func testExport_ofAnUnregisteredProducedMediaType_notesIt() async throws {
        let settings = try file(#"{"sns_topic_arns": {"mappings": {"application/vnd.acme.refunded": "arn:aws:sns:us-east-1:123456789012:x"}}}"#)
        let result = await run(["export"], environment: ["BILLING_DAEMON__SETTINGS": settings])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.errors, [
            "billing-daemon schemas: note: application/vnd.acme.refunded has a topic in sns_topic_arns but no schema registered; not exported",
        ])
        XCTAssertFalse(result.output.contains("application/vnd.acme.refunded"))
    }

    func testExport_ofATypeItCannotDescribeWhole_notesItOnStandardError_andStillExports() async throws {
        let result = await run(["export"], daemon: BillingDaemon(readsRefunds: true))
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.errors, [
            "billing-daemon schemas: note: application/vnd.acme.pubsub._.issued.refund: incomplete: init(from:) threw at 'reason': no reason",
        ])
        let refund = try PubSubSchemaDocument(parsing: result.output).schemas[RefundIssued.mediaType]
        XCTAssertEqual(refund?["properties"]?["reason"], ["type": "string"])
        XCTAssertNil(refund?["properties"]?["amount"], "not reached")
    }

    func testCheck_shared_comparesOnlyTheServicesMediaTypes() async throws {
        var registry = try await committedExport()
        registry.schemas["application/vnd.acme.pubsub._.created.payment"] = ["type": "object"]   // another service's
        registry.schemas[.deleted("Customer")] = ["type": "object", "properties": ["id": ["type": "integer"]]]
        let path = try file(registry.text)
        let alone = await run(["check", path])
        XCTAssertEqual(alone.status, 1)
        XCTAssertTrue(alone.output.contains("breaking: application/vnd.acme.pubsub._.created.payment: media type removed"), alone.output)
        let shared = await run(["check", "--shared", path])
        XCTAssertEqual(shared.status, 1, "the service's own media types are still compared")
        XCTAssertFalse(shared.output.contains("created.payment"), shared.output)
        XCTAssertTrue(shared.output.contains("breaking: application/vnd.globality.pubsub._.deleted.customer: field 'id' type integer -> string"),
                      shared.output)
    }
}
