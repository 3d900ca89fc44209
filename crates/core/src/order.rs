//! One stable sort for every ordering the domain needs: by an integer key, ties in input
//! order. Each `sort_by` call on a new element type compiles a whole sort algorithm into the
//! wasm; sorting `(key, index)` pairs here and permuting keeps it to one.

/// Sorts `items` by `key`, ascending; equal keys keep their input order.
pub fn sort_stable_by_key<T>(items: &mut [T], key: impl Fn(&T) -> i64) {
    let mut order: Vec<(i64, usize)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| (key(item), index))
        .collect();
    order.sort_unstable();
    // `source[i]` is where the item that belongs at `i` is now; follow each cycle once.
    let mut source: Vec<usize> = order.into_iter().map(|(_, index)| index).collect();
    for start in 0..source.len() {
        let mut current = start;
        loop {
            let next = source[current];
            source[current] = current;
            if next == start || next == current {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_key_and_keeps_ties_in_input_order() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        sort_stable_by_key(&mut items, |&(k, _)| k);
        assert_eq!(
            items,
            vec![(0, 'f'), (1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]
        );
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        // A cheap deterministic generator: many sizes, many duplicate keys, every cycle shape.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..200 {
            let items: Vec<(i64, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 17) as i64 - 8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_stable_by_key(&mut ours, |&(k, _)| k);
            let mut expected = items;
            expected.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, expected, "len {len}");
        }
    }
}
