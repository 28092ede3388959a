from marshmallow import fields
from microcosm_pubsub.codecs import PubSubMessageSchema
from microcosm_pubsub.conventions import created
from microcosm_pubsub.decorators import schema


@schema
class OrderCreatedSchema(PubSubMessageSchema):
    MEDIA_TYPE = created("Order")

    uri = fields.String(required=True)
    customer_email = fields.String(required=True)
    total = fields.Float(required=True)


@schema
class OrderShippedSchema(PubSubMessageSchema):
    MEDIA_TYPE = "application/vnd.globality.pubsub._.shipped.order"

    uri = fields.String(required=True)
    carrier = fields.String(required=True)
    tracking_number = fields.String(required=True)
