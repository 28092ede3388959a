import MicrocosmMetrics
import XCTest

/// The DogStatsD lines, as Datadog's Python client writes them for the same calls.
final class DogStatsDMetricTests: XCTestCase {
    func testLine_histogramOfADouble_writesPythonsRepr() {
        XCTAssertEqual(DogStatsDMetric.histogram("message", 12.5).line(), "message:12.5|h")
        XCTAssertEqual(DogStatsDMetric.histogram("message", 0.1 + 0.2).line(), "message:0.30000000000000004|h")
        XCTAssertEqual(DogStatsDMetric.histogram("message", 1.0).line(), "message:1.0|h")
        XCTAssertEqual(DogStatsDMetric.histogram("message", 0.00001).line(), "message:1e-05|h")
    }

    func testLine_histogramOfAnInt_writesNoDecimalPoint() {
        XCTAssertEqual(DogStatsDMetric.histogram("message_batch_size", 3).line(), "message_batch_size:3|h")
    }

    func testLine_eachKind_writesItsType() {
        XCTAssertEqual(DogStatsDMetric.count("calls").line(), "calls:1|c")
        XCTAssertEqual(DogStatsDMetric.count("calls", -2).line(), "calls:-2|c")
        XCTAssertEqual(DogStatsDMetric.gauge("depth", 7).line(), "depth:7.0|g")
        XCTAssertEqual(DogStatsDMetric.distribution("size", 2.5).line(), "size:2.5|d")
        XCTAssertEqual(DogStatsDMetric.timing("latency", .milliseconds(250)).line(), "latency:250.0|ms")
        XCTAssertEqual(DogStatsDMetric.set("users", "u-1").line(), "users:u-1|s")
    }

    func testLine_sampleRateBelowOne_isWrittenAfterTheType() {
        XCTAssertEqual(DogStatsDMetric.count("calls", sampleRate: 0.5).line(), "calls:1|c|@0.5")
        XCTAssertEqual(DogStatsDMetric.count("calls", tags: ["a:b"], sampleRate: 0.25).line(), "calls:1|c|@0.25|#a:b")
    }

    func testLine_tagsThenConstantTags() {
        let metric = DogStatsDMetric.histogram("message", 2.0, tags: ["source:microcosm-pubsub", "result:SUCCEEDED"])
        XCTAssertEqual(metric.line(constantTags: ["service:things", "environment:undefined"]),
                       "message:2.0|h|#source:microcosm-pubsub,result:SUCCEEDED,service:things,environment:undefined")
        XCTAssertEqual(DogStatsDMetric.count("calls").line(constantTags: ["service:things"]), "calls:1|c|#service:things")
    }

    func testNormalizedTag_replacesCharactersDatadogDoesNotAllow() {
        XCTAssertEqual(DogStatsDMetric.normalizedTag("media-type:application/vnd.globality.pubsub._.created.foo_bar"),
                       "media-type:application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(DogStatsDMetric.normalizedTag("media-type:application/vnd.thing+json"), "media-type:application/vnd.thing_json")
        XCTAssertEqual(DogStatsDMetric.normalizedTag("team name:core|x,y#z"), "team_name:core_x_y_z")
        XCTAssertEqual(DogStatsDMetric.normalizedTag("région:été"), "région:été")
    }

    func testConstantTags_asMicrocosmMetricsAndDatadogMakeThem() {
        XCTAssertEqual(DogStatsDClient.constantTags(serviceName: "things", configTags: [], environment: [:]),
                       ["service:things", "environment:undefined"])
        XCTAssertEqual(DogStatsDClient.constantTags(serviceName: "things", configTags: ["team:core"],
                                                    environment: ["MICROCOSM_ENVIRONMENT": "", "METRICS_NAME": "things-worker"]),
                       ["service:things-worker", "environment:undefined", "team:core"])
        XCTAssertEqual(DogStatsDClient.constantTags(serviceName: "things", configTags: ["team:core"], environment: [
            "MICROCOSM_ENVIRONMENT": "prod", "DATADOG_TAGS": "region:us,az:a", "DD_VERSION": "1.2", "DD_ENV": "prd",
            "DD_SERVICE": "svc", "DD_ENTITY_ID": "pod-1", "DD_AGENT_HOST": "ignored",
        ]), ["service:things", "environment:prod", "team:core", "region:us", "az:a", "dd.internal.entity_id:pod-1", "env:prd",
             "service:svc", "version:1.2"])
    }
}
