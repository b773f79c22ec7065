package dev.twostep.examples.service;

import dev.twostep.examples.shop.app.JobQueue;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The job queue over HTTP: enqueue, fetch the next job, finish it, count what waits. Names its
 * parameters, as the project compiles without {@code -parameters}.
 */
@RestController
class JobController {
  private final JobQueue queue;

  JobController(JobQueue queue) {
    this.queue = queue;
  }

  /** Queues the JSON body as a job of {@code queue}. */
  @PostMapping("/queues/{queue}/jobs")
  Map<String, Object> enqueue(@PathVariable("queue") String queue, @RequestBody String payloadJson,
      @RequestParam(name = "priority", defaultValue = "0") int priority) throws SQLException {
    return Map.of("id", this.queue.enqueue(queue, payloadJson, priority));
  }

  /** Takes the next job of {@code queue}; 204 when none waits. */
  @PostMapping("/queues/{queue}/next")
  ResponseEntity<Map<String, Object>> next(@PathVariable("queue") String queue) throws SQLException {
    OptionalLong id = this.queue.fetch(queue);
    return id.isPresent() ? ResponseEntity.ok(Map.of("id", id.getAsLong())) : ResponseEntity.noContent().build();
  }

  /** Marks job {@code id} done ({@code ok=true}) or failed. */
  @PostMapping("/jobs/{id}/finish")
  ResponseEntity<Void> finish(@PathVariable("id") long id, @RequestParam(name = "ok", defaultValue = "true") boolean ok) throws SQLException {
    queue.finish(id, ok);
    return ResponseEntity.noContent().build();
  }

  /** How many jobs of {@code queue} wait. */
  @GetMapping("/queues/{queue}")
  Map<String, Object> queued(@PathVariable("queue") String queue) throws SQLException {
    return Map.of("queue", queue, "queued", this.queue.queued(queue));
  }
}
