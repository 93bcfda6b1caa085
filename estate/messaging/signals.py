"""What other parts of estate may follow of messaging without messaging knowing them (data derived
from deliveries, such as a reminder's result in the dunning trail)."""

from django.dispatch import Signal

# Sent with ``message_ids`` (a list) once deliveries of those messages have a result: the phone
# received the text, or a delivery failed for good.
delivery_results = Signal()
