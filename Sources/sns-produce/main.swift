import Foundation
import PubSubCLI

exit(await SNSProduceCommand.main(Array(CommandLine.arguments.dropFirst())))
