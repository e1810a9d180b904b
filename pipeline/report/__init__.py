"""Report layer: charts, maps, tables and documents from values the warehouse already computed."""
