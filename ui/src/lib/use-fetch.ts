// The one loading/error/data state of every view: a single request, or a list loaded a page at a time.
import { useCallback, useEffect, useRef, useState, type Inputs } from 'preact/hooks';
import { asBackendError, type BackendError } from '../api/backend';

export interface Fetched<T> {
  /** The latest answer; kept while a reload is under way, so views do not flicker. */
  data: T | undefined;
  error: BackendError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` whenever `deps` change (or on `reload`); answers that arrive late are ignored. */
export function useFetch<T>(load: () => Promise<T>, deps: Inputs): Fetched<T> {
  const [state, setState] = useState<{ data: T | undefined; error: BackendError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => ticket === latest.current && setState({ data, error: null, loading: false }),
      (error) => ticket === latest.current && setState((previous) => ({ ...previous, error: asBackendError(error), loading: false })),
    );
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

export interface PageOf<T> {
  items: T[];
  /** All items over all pages, when the backend says. */
  total: number | null;
}

export interface Paged<T> extends Fetched<T[]> {
  hasMore: boolean;
  /** Appends the next page. */
  more: () => void;
}

/** Most rows the backend returns for one request. */
const MAX_REQUEST_ROWS = 500;

const sameInputs = (a: Inputs, b: Inputs) => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/** A list shown a page at a time: `more` shows another page, a reload refreshes all shown. */
export function usePaged<T>(loadPage: (offset: number, limit: number) => Promise<PageOf<T>>, pageSize: number, deps: Inputs): Paged<T> {
  // Pages shown, remembered with the inputs they were counted for: new inputs start at one.
  const [shown, setShown] = useState({ pages: 1, deps });
  const pages = sameInputs(shown.deps, deps) ? shown.pages : 1;
  const [hasMore, setHasMore] = useState(false);
  const fetched = useFetch(async () => {
    const wanted = pages * pageSize;
    const items: T[] = [];
    let total: number | null = null;
    while (items.length < wanted) {
      const limit = Math.min(MAX_REQUEST_ROWS, wanted - items.length);
      const page = await loadPage(items.length, limit);
      items.push(...page.items);
      total = page.total;
      if (page.items.length < limit) break;
    }
    setHasMore(total != null ? total > items.length : items.length >= wanted);
    return items;
  }, [...deps, pages]);
  const more = useCallback(() => setShown({ pages: pages + 1, deps }), [pages, ...deps]);
  return { ...fetched, hasMore: hasMore && !fetched.loading, more };
}
