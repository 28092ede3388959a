from hamcrest import assert_that, calling, equal_to, has_entries, has_properties, raises
from microcosm.api import create_object_graph, load_from_dict
from microcosm_pubsub.matchers import published, published_nothing

from orders.messages import OrderShippedSchema
from orders.tests.test_api import TOPICS
import orders.daemon  # noqa: binds the handlers


class TestOrdersDaemon:
    def setup_method(self):
        self.graph = create_object_graph("orders-daemon", testing=True, loader=load_from_dict(TOPICS))
        self.store = self.graph.order_store
        self.order = dict(uri=self.store.new_uri(), customer_email="ada@example.com", total=25.0)

    def test_ship_order_ships_and_announces_the_shipment(self):
        self.store.save(self.order)
        assert_that(self.graph.ship_order(self.order), equal_to(True))
        assert_that(self.store.statuses[self.order["uri"]], equal_to("shipping"))
        assert_that(self.graph.sns_producer, published(has_properties(
            media_type=OrderShippedSchema.MEDIA_TYPE,
            message=has_entries(uri=self.order["uri"], carrier="ups", tracking_number="TRK-1"),
        )))

    def test_ship_order_for_an_order_not_saved_fails_and_announces_nothing(self):
        assert_that(calling(self.graph.ship_order).with_args(self.order), raises(ValueError))
        assert_that(self.graph.sns_producer, published_nothing())

    def test_record_shipment_marks_the_order_shipped_once(self):
        self.store.save(self.order)
        self.store.ship(self.order["uri"])
        shipped = dict(uri=self.order["uri"], carrier="ups", tracking_number="TRK-1")
        assert_that(self.graph.record_shipment(shipped), equal_to(True))
        assert_that(self.store.statuses[self.order["uri"]], equal_to("shipped"))
        assert_that(self.graph.record_shipment(shipped), equal_to(False))
