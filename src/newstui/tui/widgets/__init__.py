"""The reader's widgets: one per datum, attributes down, messages up."""
