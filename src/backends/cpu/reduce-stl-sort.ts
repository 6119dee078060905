// The C++ standard library algorithms PyTorch's CPU sort and topk run (std::sort, std::nth_element,
// std::partial_sort, as GNU libstdc++ implements them: introsort with median-of-three pivots,
// insertion sort below 16 elements, heapsort past the depth limit), over a run of (value, index)
// pairs. Reproducing them step by step gives the same order of equal values as PyTorch.

/** Pairs sorted together: keys and their original indices, moved as one. */
export interface Pairs {
  readonly v: Float64Array;
  readonly ix: Float64Array;
}

/** Strict "comes before" on keys. */
export type Less = (a: number, b: number) => boolean;

const THRESHOLD = 16;

function swap(p: Pairs, i: number, j: number): void {
  const v = p.v[i]!;
  p.v[i] = p.v[j]!;
  p.v[j] = v;
  const x = p.ix[i]!;
  p.ix[i] = p.ix[j]!;
  p.ix[j] = x;
}

function log2Floor(n: number): number {
  return 31 - Math.clz32(n);
}

function moveMedianToFirst(p: Pairs, result: number, a: number, b: number, c: number, less: Less): void {
  const v = p.v;
  if (less(v[a]!, v[b]!)) {
    if (less(v[b]!, v[c]!)) swap(p, result, b);
    else if (less(v[a]!, v[c]!)) swap(p, result, c);
    else swap(p, result, a);
  } else if (less(v[a]!, v[c]!)) swap(p, result, a);
  else if (less(v[b]!, v[c]!)) swap(p, result, c);
  else swap(p, result, b);
}

function unguardedPartition(p: Pairs, first: number, last: number, pivot: number, less: Less): number {
  const v = p.v;
  while (true) {
    while (less(v[first]!, v[pivot]!)) first++;
    last--;
    while (less(v[pivot]!, v[last]!)) last--;
    if (!(first < last)) return first;
    swap(p, first, last);
    first++;
  }
}

function unguardedPartitionPivot(p: Pairs, first: number, last: number, less: Less): number {
  const mid = first + Math.trunc((last - first) / 2);
  moveMedianToFirst(p, first, first + 1, mid, last - 1, less);
  return unguardedPartition(p, first + 1, last, first, less);
}

function unguardedLinearInsert(p: Pairs, last: number, less: Less): void {
  const val = p.v[last]!;
  const vix = p.ix[last]!;
  let next = last - 1;
  while (less(val, p.v[next]!)) {
    p.v[last] = p.v[next]!;
    p.ix[last] = p.ix[next]!;
    last = next;
    next--;
  }
  p.v[last] = val;
  p.ix[last] = vix;
}

function insertionSort(p: Pairs, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(p.v[i]!, p.v[first]!)) {
      const val = p.v[i]!;
      const vix = p.ix[i]!;
      p.v.copyWithin(first + 1, first, i);
      p.ix.copyWithin(first + 1, first, i);
      p.v[first] = val;
      p.ix[first] = vix;
    } else {
      unguardedLinearInsert(p, i, less);
    }
  }
}

function finalInsertionSort(p: Pairs, first: number, last: number, less: Less): void {
  if (last - first > THRESHOLD) {
    insertionSort(p, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(p, i, less);
  } else {
    insertionSort(p, first, last, less);
  }
}

function pushHeap(p: Pairs, first: number, hole: number, top: number, val: number, vix: number, less: Less): void {
  let parent = Math.trunc((hole - 1) / 2);
  while (hole > top && less(p.v[first + parent]!, val)) {
    p.v[first + hole] = p.v[first + parent]!;
    p.ix[first + hole] = p.ix[first + parent]!;
    hole = parent;
    parent = Math.trunc((hole - 1) / 2);
  }
  p.v[first + hole] = val;
  p.ix[first + hole] = vix;
}

function adjustHeap(p: Pairs, first: number, hole: number, len: number, val: number, vix: number, less: Less): void {
  const top = hole;
  let child = hole;
  while (child < Math.trunc((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(p.v[first + child]!, p.v[first + child - 1]!)) child--;
    p.v[first + hole] = p.v[first + child]!;
    p.ix[first + hole] = p.ix[first + child]!;
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.trunc((len - 2) / 2)) {
    child = 2 * (child + 1);
    p.v[first + hole] = p.v[first + child - 1]!;
    p.ix[first + hole] = p.ix[first + child - 1]!;
    hole = child - 1;
  }
  pushHeap(p, first, hole, top, val, vix, less);
}

function makeHeap(p: Pairs, first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.trunc((len - 2) / 2); ; parent--) {
    adjustHeap(p, first, parent, len, p.v[first + parent]!, p.ix[first + parent]!, less);
    if (parent === 0) return;
  }
}

function popHeap(p: Pairs, first: number, last: number, result: number, less: Less): void {
  const val = p.v[result]!;
  const vix = p.ix[result]!;
  p.v[result] = p.v[first]!;
  p.ix[result] = p.ix[first]!;
  adjustHeap(p, first, 0, last - first, val, vix, less);
}

function heapSelect(p: Pairs, first: number, middle: number, last: number, less: Less): void {
  makeHeap(p, first, middle, less);
  for (let i = middle; i < last; i++) if (less(p.v[i]!, p.v[first]!)) popHeap(p, first, middle, i, less);
}

function sortHeap(p: Pairs, first: number, last: number, less: Less): void {
  while (last - first > 1) {
    last--;
    popHeap(p, first, last, last, less);
  }
}

/**
 * std::partial_sort(first, middle, last): the smallest `middle - first` in order at the front.
 * @example
 * stlPartialSort(pairs, 0, k, n, (a, b) => a > b); // the k largest first
 */
export function stlPartialSort(p: Pairs, first: number, middle: number, last: number, less: Less): void {
  heapSelect(p, first, middle, last, less);
  sortHeap(p, first, middle, less);
}

function introsortLoop(p: Pairs, first: number, last: number, depth: number, less: Less): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      stlPartialSort(p, first, last, last, less);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last, less);
    introsortLoop(p, cut, last, depth, less);
    last = cut;
  }
}

/**
 * std::sort(first, last, less) on pairs (not stable: equal keys end in libstdc++'s order).
 * @example
 * stlSort({ v, ix }, 0, v.length, (a, b) => a < b);
 */
export function stlSort(p: Pairs, first: number, last: number, less: Less): void {
  if (last - first < 2) return;
  introsortLoop(p, first, last, log2Floor(last - first) * 2, less);
  finalInsertionSort(p, first, last, less);
}

/**
 * std::nth_element(first, nth, last, less): the element at `nth` is the one a sort puts there.
 * @example
 * stlNthElement(pairs, 0, k - 1, n, (a, b) => a > b); // the k largest in front, k-th at k - 1
 */
export function stlNthElement(p: Pairs, first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  let depth = log2Floor(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(p, first, nth + 1, last, less);
      swap(p, first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(p, first, last, less);
}
