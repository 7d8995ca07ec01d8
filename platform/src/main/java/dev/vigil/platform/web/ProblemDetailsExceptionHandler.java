package dev.vigil.platform.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import dev.vigil.platform.grpc.GrpcStatusProblems;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem details for every error a servlet service can produce. Validation problems carry an
 * {@code errors} array of {@code {field, message}}. Unexpected exceptions are logged here and answered with a
 * generic 500: the client never sees a stack trace or an exception message.
 * <p>
 * Lowest precedence so that a service's own advice can handle its exceptions first; services usually do not need
 * one: throwing an {@link org.springframework.web.ErrorResponseException} is enough.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemDetailsExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

	/** Name of the problem property listing validation errors. */
	public static final String ERRORS = "errors";

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	@ExceptionHandler(StatusRuntimeException.class)
	ResponseEntity<Object> handleGrpcStatus(StatusRuntimeException ex, WebRequest request) {
		ProblemDetail problem = GrpcStatusProblems.toProblem(ex);
		if (problem.getStatus() >= 500) {
			log.warn("Downstream gRPC call failed: {}", ex.getStatus().getCode());
		}
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()),
				request);
	}

	@ExceptionHandler(MultipartException.class)
	ResponseEntity<Object> handleMalformedMultipart(MultipartException ex, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Request body is not a valid multipart message");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		log.error("Unhandled exception while serving {}", path(request), ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.add(fieldError(error.getField(), error.getDefaultMessage()));
		}
		for (ObjectError error : ex.getBindingResult().getGlobalErrors()) {
			errors.add(fieldError(error.getObjectName(), error.getDefaultMessage()));
		}
		return validationProblem(ex, errors, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors parameterErrors) {
				for (FieldError error : parameterErrors.getFieldErrors()) {
					errors.add(fieldError(error.getField(), error.getDefaultMessage()));
				}
				continue;
			}
			String name = parameterName(result);
			for (MessageSourceResolvable error : result.getResolvableErrors()) {
				errors.add(fieldError(name, error.getDefaultMessage()));
			}
		}
		return validationProblem(ex, errors, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex.getPropertyName() != null) ? ex.getPropertyName() : "value";
		String type = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "value";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"Parameter '" + name + "' has the wrong type");
		problem.setProperty(ERRORS, List.of(fieldError(name, "must be a valid " + typeName(type))));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestBodyTooLargeException tooLarge = cause(ex, RequestBodyTooLargeException.class);
		if (tooLarge != null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
					"Request body exceeds the limit of " + tooLarge.getLimit() + " bytes");
			return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, readFailure(ex));
		MismatchedInputException mismatch = cause(ex, MismatchedInputException.class);
		if (mismatch != null && !mismatch.getPath().isEmpty()) {
			String type = (mismatch.getTargetType() != null) ? mismatch.getTargetType().getSimpleName() : "value";
			problem.setProperty(ERRORS,
					List.of(fieldError(jsonPath(mismatch.getPath()), "must be a valid " + typeName(type))));
		}
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body == null && ex instanceof ErrorResponse errorResponse) {
			// Framework exceptions carry their problem; resolve it here so it can be completed like the others.
			body = errorResponse.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
		}
		if (body instanceof ProblemDetail problem) {
			String path = path(request);
			complete(problem, (path != null) ? path : "/");
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	private ResponseEntity<Object> validationProblem(Exception ex, List<Map<String, String>> errors,
			HttpHeaders headers, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Request validation failed");
		problem.setTitle("Bad Request");
		problem.setProperty(ERRORS, errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String readFailure(HttpMessageNotReadableException ex) {
		if (cause(ex, MismatchedInputException.class) != null) {
			return "Request body has a value of the wrong type or shape";
		}
		if (cause(ex, StreamReadException.class) != null || cause(ex, JacksonException.class) != null) {
			return "Request body is not valid JSON";
		}
		if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
			return "Request body is missing";
		}
		return "Request body could not be read";
	}

	private static String parameterName(ParameterValidationResult result) {
		RequestHeader header = result.getMethodParameter().getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		String name = result.getMethodParameter().getParameterName();
		return (name != null) ? name : "parameter";
	}

	private static String jsonPath(List<JacksonException.Reference> path) {
		StringBuilder field = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				if (!field.isEmpty()) {
					field.append('.');
				}
				field.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
	}

	private static String typeName(String javaType) {
		return switch (javaType) {
			case "int", "Integer", "long", "Long", "short", "Short" -> "integer";
			case "double", "Double", "float", "Float", "BigDecimal" -> "number";
			case "boolean", "Boolean" -> "boolean";
			case "String" -> "string";
			case "List", "Set", "Collection" -> "array";
			default -> "value";
		};
	}

	private static Map<String, String> fieldError(String field, String message) {
		return Map.of("field", field, "message", (message != null) ? message : "is invalid");
	}

	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
		}
		return null;
	}

	private static String path(WebRequest request) {
		if (request instanceof NativeWebRequest nativeRequest) {
			HttpServletRequest servletRequest = nativeRequest.getNativeRequest(HttpServletRequest.class);
			if (servletRequest != null) {
				return servletRequest.getRequestURI();
			}
		}
		return null;
	}

	/**
	 * Fills in the members docs/architecture.md requires on every problem: {@code type} (RFC 9457's default
	 * "about:blank" written out, since Spring omits an unset type) and {@code instance} (the request path).
	 */
	public static ProblemDetail complete(ProblemDetail problem, String requestPath) {
		if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
			problem.setType(ABOUT_BLANK);
		}
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(safePath(requestPath)));
		}
		return problem;
	}

	/** The request path as a URI reference; paths that do not parse (odd client input) are not echoed back. */
	public static String safePath(String path) {
		try {
			return URI.create(path).getRawPath();
		}
		catch (IllegalArgumentException ex) {
			return "/";
		}
	}

}
