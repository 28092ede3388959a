import Foundation
import Orders

exit(await OrdersDaemon().run())
