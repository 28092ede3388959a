// The README.md block `swift aws-signing`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
import MicrocosmAWS

func readmeAwsSigning(request: AWSHTTPRequest, credentials: AWSCredentials) {
// begin README: aws-signing
let signer = SigV4Signer(service: "sqs", region: "us-east-1")
let signed = signer.sign(request, credentials: credentials, date: Date())
// end README: aws-signing
    _ = signed
}
