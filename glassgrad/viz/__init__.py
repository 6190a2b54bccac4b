"""Pictures of what the library computes: computation graphs, decision contours,
training curves and image grids. matplotlib and Graphviz are optional and are
imported only when a picture is actually drawn.
"""

from glassgrad.viz.contours import decision_grid as decision_grid
from glassgrad.viz.contours import plot_contours as plot_contours
from glassgrad.viz.curves import plot_curves as plot_curves
from glassgrad.viz.curves import plot_history as plot_history
from glassgrad.viz.graph import draw_graph as draw_graph
from glassgrad.viz.images import save_image_grid as save_image_grid
from glassgrad.viz.images import save_weight_images as save_weight_images
from glassgrad.viz.images import tile as tile

__all__ = ["decision_grid", "draw_graph", "plot_contours", "plot_curves", "plot_history", "save_image_grid",
           "save_weight_images", "tile"]
