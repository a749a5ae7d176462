"""The free World Watch List booklet: orders from supporters, fulfilment by staff."""
