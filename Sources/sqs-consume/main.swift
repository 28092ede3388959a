import Foundation
import PubSubCLI

exit(await SQSConsumeCommand.main(Array(CommandLine.arguments.dropFirst())))
