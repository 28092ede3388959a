from microcosm.api import binding
from microcosm.loaders import load_each, load_from_dict, load_from_environ, load_from_json_file
from microcosm_pubsub.daemon import ConsumerDaemon
from microcosm_pubsub.decorators import handles

from orders.messages import OrderCreatedSchema, OrderShippedSchema
import orders.store  # noqa: binds order_store


@binding("ship_order")
@handles(OrderCreatedSchema)
class ShipOrder:
    """Ships each created order and announces the shipment."""

    def __init__(self, graph):
        self.order_store = graph.order_store
        self.sns_producer = graph.sns_producer

    def __call__(self, message):
        tracking_number = self.order_store.ship(message["uri"])
        carrier = "ups" if message["total"] < 100 else "dhl"
        self.sns_producer.produce(
            OrderShippedSchema.MEDIA_TYPE, uri=message["uri"], carrier=carrier, tracking_number=tracking_number,
        )
        return True


@binding("record_shipment")
@handles(OrderShippedSchema)
class RecordShipment:
    def __init__(self, graph):
        self.order_store = graph.order_store

    def __call__(self, message):
        return self.order_store.record_shipment(message["uri"])  # False: SKIPPED


class OrdersDaemon(ConsumerDaemon):
    @property
    def name(self):
        return "orders-daemon"  # ORDERS_DAEMON__... variables

    @property
    def loader(self):
        return load_each(load_from_dict(self.defaults), load_from_json_file, load_from_environ)

    @property
    def components(self):
        return super().components + ["order_store", "ship_order", "record_shipment"]


def main():
    OrdersDaemon().run()
