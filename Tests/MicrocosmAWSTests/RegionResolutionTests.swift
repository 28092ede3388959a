import MicrocosmAWS
import XCTest

final class RegionResolutionTests: XCTestCase {
    func testResolveRegion_precedenceIsConfigThenAWSRegionThenAWSDefaultRegionThenProfile() throws {
        let cases: [(explicit: String?, environment: [String: String], profile: String?, region: String, source: String)] = [
            ("eu-west-1", ["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2"], "us-west-1", "eu-west-1", "config 'region_name'"),
            (nil, ["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2"], "us-west-1", "us-east-1", "AWS_REGION"),
            (nil, ["AWS_DEFAULT_REGION": "us-east-2"], "us-west-1", "us-east-2", "AWS_DEFAULT_REGION"),
            (nil, [:], "us-west-1", "us-west-1", "the profile's 'region'"),
            ("", ["AWS_REGION": ""], "us-west-1", "us-west-1", "the profile's 'region'"),
            (" ap-south-1 ", [:], nil, "ap-south-1", "config 'region_name'"),
        ]
        for (explicit, environment, profile, region, source) in cases {
            let resolved = try AWSServiceSettings.resolveRegion(explicit: explicit, environment: environment, profileRegion: profile)
            XCTAssertEqual(resolved.region, region, "\(String(describing: explicit)) \(environment) \(String(describing: profile))")
            XCTAssertEqual(resolved.source, source)
        }
    }

    func testResolveRegion_whenNothingIsSet_saysWhereItLooked() {
        XCTAssertThrowsError(try AWSServiceSettings.resolveRegion(explicit: nil, explicitSource: "config 'sqs_consumer.region_name'",
                                                                  environment: [:], profileRegion: nil,
                                                                  profileSource: "'region' in profile 'default' (/h/.aws/config)")) { error in
            XCTAssertEqual((error as? AWSConfigError)?.code, .noRegion)
            XCTAssertEqual("\(error)", "no AWS region: set config 'sqs_consumer.region_name', AWS_REGION, AWS_DEFAULT_REGION "
                               + "or 'region' in profile 'default' (/h/.aws/config)")
        }
    }

    func testResolveRegion_rejectsNamesThatCannotBePartOfAHostNamingTheSource() {
        for bad in ["us-east-1.evil.com", "us east 1", "-us-east-1", "us-east-1-", "us/east", String(repeating: "a", count: 64)] {
            XCTAssertThrowsError(try AWSServiceSettings.resolveRegion(explicit: nil, environment: ["AWS_REGION": bad], profileRegion: nil)) {
                XCTAssertEqual("\($0)", "AWS_REGION is not a usable AWS region: '\(bad)' is not a valid region name "
                                   + "(letters, digits and '-', like 'us-east-1')")
            }
        }
        XCTAssertNoThrow(try AWSServiceSettings.resolveRegion(explicit: "a", environment: [:], profileRegion: nil))
        XCTAssertNoThrow(try AWSServiceSettings.resolveRegion(explicit: "us-gov-west-1", environment: [:], profileRegion: nil))
    }
}
