// The README.md block `swift aws-executor`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmAWS

func readmeAwsExecutor(transport: CurlTransport) async {
// begin README: aws-executor
await withTaskExecutorPreference(transport.executor) { /* receive / acknowledge loop */ }
// end README: aws-executor
}
