// KeyedTaskPool: a fixed set of threads running queued tasks, at most one queued or running task per key.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace chukan {

/// The worker lists work in the store and hands each item here under a key naming it (e.g. the
/// inquiry or outbox message), so an item that is still queued or being worked on is not taken
/// a second time by this node while the store still shows it as due. (Other nodes are kept out
/// by the store's own claims.) A task that throws is logged and forgotten; its key is free again.
/// Thread-safety: every method may be called from any thread; stop() from one thread.
class KeyedTaskPool
{
public:
    /// `threads` >= 1; nothing runs before start().
    KeyedTaskPool(std::string name, int threads);
    ~KeyedTaskPool();
    KeyedTaskPool(const KeyedTaskPool&) = delete;
    KeyedTaskPool& operator=(const KeyedTaskPool&) = delete;

    void start();
    /// Drops what is still queued and waits for the running tasks to end.
    void stop();
    bool running() const;

    /// Queues `task` under `key`. False when the key is already queued or running, or the pool
    /// is stopped.
    bool submit(const std::string& key, std::function<void()> task);
    /// Tasks queued or running.
    std::size_t pending() const;
    int threads() const { return _threads; }
    /// Called (on a pool thread) after each task ends, e.g. to wake whoever feeds the pool.
    void onDone(std::function<void()> callback) { _onDone = std::move(callback); }

private:
    void loop();

    std::string _name;
    int _threads;
    std::function<void()> _onDone;
    mutable std::mutex _mutex;
    std::condition_variable _ready;
    std::deque<std::pair<std::string, std::function<void()>>> _queue;
    std::unordered_set<std::string> _keys; ///< queued or running
    std::vector<std::thread> _workers;
    bool _running = false;
};

} // namespace chukan
