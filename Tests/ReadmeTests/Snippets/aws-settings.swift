// The README.md block `swift aws-settings`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmAWS

func readmeAwsSettings() throws {
// begin README: aws-settings
let settings = try AWSServiceSettings.resolve(service: "sqs", endpointURL: nil, regionName: nil, profileName: nil,
                                              configSection: "sqs_consumer")
_ = (settings.region, settings.endpoint, settings.credentialProvider)
// end README: aws-settings
}
