// The fixed distances of the ladder diagram (see the sketch in layout.js),
// shared by the layout's modules and the drawing.

export const GEOMETRY = Object.freeze({
  gutter: 92,
  bracket: 34,
  stateColumn: 150,
  rightMargin: 12,
  minWidth: 640,
  labelBaseline: 14,
  arrowTop: 20,
  arrowDrop: 12,
  payloadBaseline: 45,
  headLength: 10,
  headWidth: 4.5,
  stateStep: 15,
});
