from microcosm.api import binding
from microcosm_pubsub.producer import DeferredProducer

from orders.messages import OrderCreatedSchema
import orders.store  # noqa: binds order_store


@binding("order_api")
class OrderAPI:
    """What the orders API does when an order is placed."""

    def __init__(self, graph):
        self.order_store = graph.order_store
        self.sns_producer = graph.sns_producer

    def create_order(self, customer_email, total):
        order = dict(uri=self.order_store.new_uri(), customer_email=customer_email, total=total)
        with DeferredProducer(self.sns_producer) as producer:
            producer.produce(OrderCreatedSchema.MEDIA_TYPE, **order)
            self.order_store.save(order)  # raises: nothing is published
        return order["uri"]
