"""Altair chart builders, one module per page that draws charts (ringkasan, desa, peringkat), and the theme.

The convention every builder follows:
- pure: frames and already translated labels in, an Altair chart out (None: nothing to draw); no Streamlit,
  so the briefs render the same specs server-side (desasadar.export.images);
- unthemed: the theme (fonts, colours, the viewer's number and month locale) is applied once by whoever
  renders, `theme.base(chart, lang)`: desasadar.ui.chart.show on a page, export.images for a PNG;
- alt text: the builder sets the chart's `description`, given as `description=` or written from the data;
- no title inside the chart: the page writes it above the chart as text (headers are read by screen readers
  and keep the chart's height for data).
"""
